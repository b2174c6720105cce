/**
 * Secrets for the standalone `flow run`, as Kestra's open-source edition reads them: an environment variable
 * `SECRET_<NAME>` holding the base64-encoded value. The server keeps encrypted secrets in its database instead.
 */
export function environmentSecrets(environment: NodeJS.ProcessEnv = process.env) {
  return async (_namespace: string, name: string): Promise<string | undefined> => {
    const encoded = environment[`SECRET_${name}`];
    return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
  };
}
