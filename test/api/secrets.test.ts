// Secrets never appear in plain text: not in the database (a dump of every table of every schema, taken
// after a flow used the secret in a log line, an output, a script and an error), not in logs or outputs,
// and not in any API response. And secret() really reads them: from the namespace, else its parents.
import { describe, expect, it } from "vitest";
import { dumpDatabase, encodedForms } from "./dump";
import { setUpApi } from "./harness";

const api = setUpApi({ runtime: true });

const VALUE = "pg-PASSWORD-e7c1-9b2f-hunter2";
const PARENT_VALUE = "parent-only-SECRET-4d5e6f";

const FLOW = `id: uses-secrets
namespace: company.team.app
tasks:
  - id: log
    type: core.log.Log
    message: "connecting with {{ secret('DB_PASSWORD') }} and {{ secret('PARENT_ONLY') }}"
  - id: out
    type: core.output.OutputValues
    values:
      leaked: "{{ secret('DB_PASSWORD') }}"
      length: "{{ secret('DB_PASSWORD') | length }}"
      parent: "{{ secret('PARENT_ONLY') }}"
  - id: script
    type: io.kestra.plugin.scripts.shell.Commands
    env:
      PW: "{{ secret('DB_PASSWORD') }}"
    commands:
      - 'echo "from the script: $PW"'
  - id: fail
    type: core.execution.Fail
    errorMessage: "failed with {{ secret('DB_PASSWORD') }}"
    allowFailure: true
outputs:
  - id: pw
    type: STRING
    value: "{{ outputs.out.values.leaked }}"
`;

const forms = encodedForms;

describe("secrets", () => {
  it("are encrypted at rest, read by secret() from the namespace up, and masked everywhere they could show", async () => {
    const { token } = await api.admin("acme", "admin@acme.test");
    const responses: string[] = [];
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await api.call(method, `acme/${path}`, { token, body });
      responses.push(response.text);
      expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
      return response;
    };

    await call("PUT", "namespaces/company/secrets/DB_PASSWORD", { value: "the-parent-one-is-shadowed" });
    await call("PUT", "namespaces/company.team/secrets/DB_PASSWORD", {
      value: VALUE,
      description: "database",
    });
    await call("POST", "namespaces/company/secrets", { key: "PARENT_ONLY", value: PARENT_VALUE });
    await call("POST", "flows", FLOW);
    const run = await call("POST", "executions/company.team.app/uses-secrets?wait=true");
    const execution = run.json as {
      id: string;
      state: { current: string };
      outputs: Record<string, unknown>;
      taskRunList: { taskId: string; outputs: unknown }[];
    };
    expect(execution.state.current).toBe("WARNING");
    // It read the right value (nearest namespace first): its length, not the value, comes out.
    expect(execution.taskRunList.find((r) => r.taskId === "out")?.outputs).toEqual({
      values: { leaked: "******", length: VALUE.length, parent: "******" },
    });
    expect(execution.outputs).toEqual({ pw: "******" });

    const logs = (await call("GET", `logs/${execution.id}`)).json as { taskId: string; message: string }[];
    expect(logs.find((l) => l.taskId === "log")?.message).toBe("connecting with ****** and ******");
    expect(logs.find((l) => l.taskId === "script")?.message).toBe("from the script: ******");
    await call("GET", `logs/${execution.id}/download`);
    await call("GET", `executions/${execution.id}`);
    await call("GET", "executions/search");
    const listed = await call("GET", "namespaces/company.team/secrets");
    expect(listed.json).toEqual([
      expect.objectContaining({ key: "DB_PASSWORD", namespace: "company.team", description: "database" }),
    ]);
    expect(Object.keys((listed.json as object[])[0] ?? {})).not.toContain("value");
    await call("GET", "namespaces/company.team.app/inherited-secrets");
    await call("GET", "auditlogs/search?resourceType=SECRET");
    await call("GET", "auditlogs/search");
    const trpc = await api.trpc({ token });
    responses.push(
      JSON.stringify(await trpc.namespaces.secrets({ tenant: "acme", namespace: "company.team" })),
    );
    responses.push(JSON.stringify(await trpc.audit.search({ tenant: "acme", page: 1, size: 200 })));

    for (const text of responses)
      for (const form of [...forms(VALUE), ...forms(PARENT_VALUE)]) expect(text).not.toContain(form);

    const dump = await dumpDatabase(api.query);
    expect(dump).toContain("******"); // the masked log lines and outputs are in there...
    expect(dump).toContain("DB_PASSWORD"); // ...and the secret's row, by name...
    for (const form of [...forms(VALUE), ...forms(PARENT_VALUE)]) expect(dump).not.toContain(form); // ...never its value
  }, 60_000);

  it("cannot be read back through the API by anyone, and a ciphertext moved to another row does not decrypt", async () => {
    const { token } = await api.admin("acme", "admin@acme.test");
    // No route returns a value: the secret routes are list, inherited list, set and delete.
    const get = await api.call("GET", "acme/namespaces/company.team/secrets/DB_PASSWORD", { token });
    expect(get.status).toBe(405);
    // Copy the sealed value onto another name: secret() must refuse it rather than reveal it there.
    await api.query(
      `insert into secrets (tenant_id, namespace, name, ciphertext, iv, auth_tag, key_id, updated_at)
       select tenant_id, 'company.other', name, ciphertext, iv, auth_tag, key_id, now() from secrets
       where namespace = 'company.team' and name = 'DB_PASSWORD'`,
    );
    const tenantId = (await api.query<{ id: string }>("select id from tenants where slug = 'acme'"))[0]
      ?.id as string;
    const { databaseSecrets } = await import("@/server/secrets/engine");
    const { TEST_SECRET_KEY } = await import("./harness");
    const secrets = databaseSecrets(api.engine.ctx.pool, () => TEST_SECRET_KEY);
    expect(await secrets.secret(tenantId, "company.team.app", "DB_PASSWORD")).toBe(VALUE);
    await expect(secrets.secret(tenantId, "company.other", "DB_PASSWORD")).rejects.toThrow(
      /could not be decrypted/,
    );
  });
});
