// The automation journey over real HTTP against the real `cadenza start`, step by step as README
// "REST API" shows it with curl: bootstrap an admin, create a token, deploy a flow from YAML (with curl's
// equivalent and with `cadenza flow deploy`), run it with wait=true, read its logs, trigger it by webhook
// (a wrong key is a 404), and see an invalid flow refused with a 4xx that names the line and column.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { adminWithToken, cadenza } from "./cli";
import { skipWithoutTemporal } from "./temporal";

// Also run in Temporal mode (the `temporal` project).
test.beforeEach(({ baseURL: _ }, testInfo) => skipWithoutTemporal(testInfo));

const FLOW = `id: greet
namespace: e2e.journey
inputs:
  - id: who
    type: STRING
    defaults: world
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.who }}"
outputs:
  - id: greeting
    type: STRING
    value: "hello {{ inputs.who }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: e2e-webhook-key-42
    wait: true
    returnOutputs: true
`;

test("the curl journey: bootstrap, token, deploy, run with wait, logs, webhook, invalid flow", async ({
  request,
  baseURL,
}) => {
  // cadenza admin bootstrap + cadenza token create (the token is the last line)
  const token = await adminWithToken("main", "journey@example.com", "journey password 123");
  expect(token).toMatch(/^cdz_[0-9A-Za-z]{43}$/);
  const auth = { authorization: `Bearer ${token}` };

  // Without a token: 401, JSON.
  const anonymous = await request.get("/api/v1/main/flows/search");
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toHaveProperty("message");

  // curl -X POST -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/x-yaml" --data-binary @greet.yaml .../flows
  const created = await request.post("/api/v1/main/flows", {
    headers: { ...auth, "content-type": "application/x-yaml" },
    data: FLOW,
  });
  expect(created.status()).toBe(200);
  expect(await created.json()).toMatchObject({ id: "greet", namespace: "e2e.journey", revision: 1 });

  // cadenza flow deploy DIR --server URL --tenant main (GitOps): the plan, then the change.
  const dir = mkdtempSync(path.join(os.tmpdir(), "cadenza-deploy-"));
  writeFileSync(
    path.join(dir, "greet.yaml"),
    FLOW.replace('hello {{ inputs.who }}"\noutputs', 'hi {{ inputs.who }}"\noutputs'),
  );
  writeFileSync(
    path.join(dir, "second.yml"),
    FLOW.replace("id: greet", "id: second").replace("e2e-webhook-key-42", "second-key-4242"),
  );
  const plan = await cadenza(
    ["flow", "deploy", dir, "--server", baseURL as string, "--tenant", "main", "--dry-run"],
    {
      CADENZA_TOKEN: token,
    },
  );
  expect(plan.stdout).toContain("~ update    e2e.journey.greet  revision 1 -> 2");
  expect(plan.stdout).toContain("+ create    e2e.journey.second");
  expect(plan.stdout).toContain(
    "Plan: 1 to create, 1 to update, 0 to delete, 0 unchanged. (dry run: nothing changed)",
  );
  const deployed = await cadenza(["flow", "deploy", dir, "--server", baseURL as string, "--tenant", "main"], {
    CADENZA_TOKEN: token,
  });
  rmSync(dir, { recursive: true, force: true });
  expect(deployed.stdout).toContain("Deployed to");
  const revisions = await request.get("/api/v1/main/flows/e2e.journey/greet/revisions", { headers: auth });
  expect((await revisions.json()).map((r: { revision: number }) => r.revision)).toEqual([1, 2]);

  // curl -X POST -H "Authorization: Bearer $TOKEN" -F who=Ada ".../executions/e2e.journey/greet?wait=true"
  const run = await request.post("/api/v1/main/executions/e2e.journey/greet?wait=true&labels=source:e2e", {
    headers: auth,
    multipart: { who: "Ada" },
  });
  expect(run.status()).toBe(200);
  const execution = await run.json();
  expect(execution.state.current).toBe("SUCCESS");
  expect(execution.outputs).toEqual({ greeting: "hello Ada" });
  expect(execution.labels).toContainEqual({ key: "source", value: "e2e" });

  // curl -H "Authorization: Bearer $TOKEN" .../logs/$ID
  const logs = await request.get(`/api/v1/main/logs/${execution.id}`, { headers: auth });
  expect((await logs.json()).map((l: { message: string }) => l.message)).toContain("hi Ada");
  const follow = await request.get(`/api/v1/main/logs/${execution.id}/follow`, { headers: auth });
  expect(follow.headers()["content-type"]).toContain("text/event-stream");
  expect(await follow.text()).toContain("hi Ada");

  // curl -X POST .../executions/webhook/e2e.journey/greet/e2e-webhook-key-42 (no token: the key is the credential)
  const hook = await request.post("/api/v1/main/executions/webhook/e2e.journey/greet/e2e-webhook-key-42", {
    data: { from: "webhook" },
  });
  expect(hook.status()).toBe(200);
  expect(await hook.json()).toEqual({ greeting: "hello world" });
  const wrongKey = await request.post("/api/v1/main/executions/webhook/e2e.journey/greet/not-the-key", {
    data: {},
  });
  expect(wrongKey.status()).toBe(404);

  // An invalid flow: 422, and the message names the problem with its line and column.
  const invalid = await request.post("/api/v1/main/flows", {
    headers: { ...auth, "content-type": "application/x-yaml" },
    data: "id: broken\nnamespace: e2e.journey\ntasks:\n  - id: t\n    type: core.log.Nope\n",
  });
  expect(invalid.status()).toBe(422);
  const problem = await invalid.json();
  expect(problem.message).toMatch(
    /line 5, column \d+: tasks\[0\]\.type: unknown task type 'core\.log\.Nope'/,
  );
  expect(problem.details[0]).toMatchObject({ line: 5, path: "tasks[0].type" });

  // The OpenAPI document describes these routes.
  const openapi = await (await request.get("/api/v1/openapi.json")).json();
  expect(openapi.openapi).toBe("3.1.0");
  expect(openapi.paths["/api/v1/{tenant}/executions/{namespace}/{flowId}"].post).toBeDefined();
});
