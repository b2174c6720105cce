// The console as a user drives it: a KV entry and a secret created in a namespace's pages are read by a
// flow deployed and executed through the REST API; a service account bound Launcher on one namespace
// through the UI runs a flow there with its token and is refused in another namespace.
import { adminWithToken } from "./cli";
import { expect, signIn, test } from "./fixtures";

const EMAIL = "console-admin@example.com";
const PASSWORD = "console admin password 1";
const SECRET = "e2e-secret-value-5c1d";

const READER = `id: reader
namespace: e2e.console
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "greeting is {{ kv('greeting') }}"
outputs:
  - id: greeting
    type: STRING
    value: "{{ kv('greeting') }}"
  - id: limit
    type: STRING
    value: "{{ kv('limit') + 1 }}"
  - id: secretMatches
    type: STRING
    value: "{{ secret('API_KEY') == '${SECRET}' }}"
`;

const ELSEWHERE = `id: elsewhere
namespace: e2e.other
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: elsewhere
`;

test("KV and secrets from the UI are read by a flow; a service account runs only where it is bound", async ({
  page,
  request,
}) => {
  const admin = await adminWithToken("main", EMAIL, PASSWORD);
  const auth = { authorization: `Bearer ${admin}` };
  for (const yaml of [READER, ELSEWHERE]) {
    const deployed = await request.post("/api/v1/main/flows", {
      headers: { ...auth, "content-type": "application/x-yaml" },
      data: yaml,
    });
    expect(deployed.status(), await deployed.text()).toBe(200);
  }
  await signIn(page, EMAIL, PASSWORD);

  // The namespace tree shows the namespaces of the flows, with their implied parent.
  await page.goto("/namespaces");
  const tree = page.getByRole("list", { name: "Namespace tree" });
  await expect(tree.getByRole("link", { name: "e2e", exact: true })).toBeVisible();
  await tree.getByRole("link", { name: "e2e.console" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("e2e.console");
  await expect(page.getByRole("table", { name: "Flows" })).toContainText("reader");

  // KV store: a STRING and a NUMBER (a bad number is refused with a message first).
  await page.getByRole("link", { name: "KV store" }).click();
  await expect(page).toHaveURL(/\/namespaces\/e2e\.console\/kv$/);
  await page.getByLabel("Key").fill("greeting");
  await page.getByLabel(/^Value/).fill("hello from the UI");
  await page.getByLabel("Description (optional)").fill("said by reader");
  await page.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("table", { name: "KV entries" })).toContainText("said by reader");
  await page.getByLabel("Key").fill("limit");
  await page.getByLabel("Type").selectOption("NUMBER");
  await page.getByLabel(/^Value/).fill("forty");
  await page.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "NUMBER" })).toContainText(
    "A NUMBER value must be a number, like 42 or 3.14; got 'forty'.",
  );
  await page.getByLabel(/^Value/).fill("41");
  await page.getByRole("button", { name: "Add" }).click();
  await expect(page.getByRole("row", { name: /limit/ })).toContainText("NUMBER");

  // Secrets: set one; its value is never shown again.
  await page.getByRole("link", { name: "Secrets" }).click();
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("API_KEY");
  await page.getByLabel("Value", { exact: true }).fill(SECRET);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("table", { name: "Secrets" })).toContainText("API_KEY");
  await expect(page.getByText(SECRET)).toHaveCount(0);

  // The flow reads both.
  const run = await request.post("/api/v1/main/executions/e2e.console/reader?wait=true", { headers: auth });
  expect(run.status(), await run.text()).toBe(200);
  const execution = await run.json();
  expect(execution.state.current).toBe("SUCCESS");
  expect(execution.outputs).toEqual({ greeting: "hello from the UI", limit: "42", secretMatches: "true" });

  // A service account, bound Launcher on e2e.console through the namespace picker, with a token.
  await page.goto("/service-accounts");
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("ci-robot");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const account = page.getByRole("region", { name: "Service account ci-robot" });
  await account.getByLabel("Role for ci-robot").selectOption("Launcher");
  await account.getByLabel("Namespace for ci-robot").selectOption("e2e.console");
  await account.getByRole("button", { name: "Bind role" }).click();
  await expect(account).toContainText("Launcher on e2e.console");
  await account.getByLabel("Token name").fill("pipeline");
  await account.getByRole("button", { name: "Create token" }).click();
  const token = (await account.getByTestId("service-account-token").textContent()) ?? "";
  expect(token).toMatch(/^cdz_[0-9A-Za-z]{43}$/);
  await expect(account.getByRole("table", { name: "Tokens of ci-robot" })).toContainText("pipeline");

  const robot = { authorization: `Bearer ${token}` };
  const allowed = await request.post("/api/v1/main/executions/e2e.console/reader?wait=true", {
    headers: robot,
  });
  expect(allowed.status(), await allowed.text()).toBe(200);
  expect((await allowed.json()).state.current).toBe("SUCCESS");
  const refused = await request.post("/api/v1/main/executions/e2e.other/elsewhere", { headers: robot });
  expect(refused.status()).toBe(403);

  // Revoked from the page, the token stops working.
  await account.getByRole("button", { name: "Revoke pipeline" }).click();
  await expect(account.getByRole("row", { name: /pipeline/ })).toContainText("revoked");
  const afterRevoke = await request.post("/api/v1/main/executions/e2e.console/reader", { headers: robot });
  expect(afterRevoke.status()).toBe(401);
});
