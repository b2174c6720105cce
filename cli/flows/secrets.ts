import { environmentSecret } from "@/server/env";

/**
 * Secrets for the standalone `flow run`, as Kestra's open-source edition reads them: an environment variable
 * `SECRET_<NAME>` holding the base64-encoded value (see server/env.ts).
 */
export function environmentSecrets() {
  return async (_namespace: string, name: string): Promise<string | undefined> => environmentSecret(name);
}
