import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type InputCipher, SEALED_TYPE } from "@/engine/executor";
import { setUpEmbeddedEngine, TENANT } from "./harness";

const SECRET = "hunter2-correct-horse";
const INPUT_SECRET = "s3cret-input-value";

/** AES-256-GCM as the server's cipher does it, with a test key. */
function testCipher(): InputCipher {
  const key = randomBytes(32);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
    },
    open(sealed) {
      const bytes = Buffer.from(sealed, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}

const h = setUpEmbeddedEngine({
  secret: async (_tenant, _namespace, name) => (name === "DB_PASSWORD" ? SECRET : undefined),
  secretValues: async () => [SECRET],
  inputCipher: testCipher(),
});

const dumpDatabase = async () =>
  JSON.stringify(
    await h.query(
      `select (select json_agg(e) from executions e) as e, (select json_agg(t) from task_runs t) as t,
         (select json_agg(l) from log_entries l) as l`,
    ),
  );

describe("secret masking in the embedded engine", () => {
  it("never writes a secret value to logs, outputs or errors in the database", async () => {
    await h.startRuntime({ scheduler: false });
    await h.deploy(`id: leaky
namespace: mask
tasks:
  - { id: log, type: core.log.Log, message: "password is {{ secret('DB_PASSWORD') }}" }
  - { id: out, type: core.output.OutputValues, values: { pw: "{{ secret('DB_PASSWORD') }}" } }
  - { id: fail, type: core.execution.Fail, errorMessage: "bad {{ secret('DB_PASSWORD') }}", allowFailure: true }
  - id: shell
    type: io.kestra.plugin.scripts.shell.Commands
    env: { PW: "{{ secret('DB_PASSWORD') }}" }
    commands: ['echo "from a script: $PW"']
`);
    const started = await h.client.start(TENANT, "mask", "leaky");
    const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
    expect(done.state.current).toBe("WARNING");
    const logs = await h.client.logs(TENANT, done.id);
    expect(logs.find((l) => l.taskId === "log")?.message).toBe("password is ******");
    expect(logs.find((l) => l.taskId === "shell")?.message).toBe("from a script: ******");
    expect(done.taskRunList.find((r) => r.taskId === "out")?.outputs).toEqual({ values: { pw: "******" } });
    const dump = await dumpDatabase();
    expect(dump).not.toContain(SECRET);
    expect(dump).toContain("******");
  });

  it("keeps SECRET inputs sealed in the execution, opens them for tasks, masks them, and replays them", async () => {
    await h.deploy(`id: secret_input
namespace: mask
inputs:
  - { id: token, type: SECRET }
  - { id: user, type: STRING, defaults: ada }
tasks:
  - { id: length, type: core.debug.Return, format: "{{ inputs.token | length }}" }
  - { id: log, type: core.log.Log, message: "token {{ inputs.token }} for {{ inputs.user }}" }
  - id: shell
    type: io.kestra.plugin.scripts.shell.Commands
    env: { TOKEN: "{{ inputs.token }}" }
    commands: ['test "$TOKEN" = "${INPUT_SECRET}" && echo "script got $TOKEN"']
`);
    const started = await h.client.start(TENANT, "mask", "secret_input", { inputs: { token: INPUT_SECRET } });
    const done = await h.client.waitForEnd(TENANT, started.id, 20_000);
    expect(done.state.current).toBe("SUCCESS");
    expect(done.inputs.token).toEqual({ type: SEALED_TYPE, value: expect.any(String) });
    expect(done.inputs.user).toBe("ada");
    expect(done.taskRunList.find((r) => r.taskId === "length")?.outputs).toEqual({
      value: String(INPUT_SECRET.length),
    });
    const logs = await h.client.logs(TENANT, done.id);
    expect(logs.find((l) => l.taskId === "log")?.message).toBe("token ****** for ada");
    expect(logs.find((l) => l.taskId === "shell")?.message).toBe("script got ******");
    expect(await dumpDatabase()).not.toContain(INPUT_SECRET);

    // A replay passes the sealed value back: it is opened, checked and sealed again.
    const first = done.taskRunList[0];
    const replayed = await h.client.replay(TENANT, done.id, first?.id ?? "");
    const again = await h.client.waitForEnd(TENANT, replayed.id, 20_000);
    expect(again.state.current).toBe("SUCCESS");
    expect(again.taskRunList.find((r) => r.taskId === "length")?.outputs).toEqual({
      value: String(INPUT_SECRET.length),
    });
  });
});
