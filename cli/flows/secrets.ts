/**
 * Secrets for the standalone `flow run`, as Kestra's open-source edition reads them: an environment variable
 * `SECRET_<NAME>` holding the base64-encoded value (see server/env.ts, imported when first needed so that
 * loading the CLI never parses the environment).
 */
export function environmentSecrets() {
  return async (_namespace: string, name: string): Promise<string | undefined> => {
    const { environmentSecret } = await import("@/server/env");
    return environmentSecret(name);
  };
}
