// The launch form in the browser: a flow with typed inputs (a dependsOn input, a FILE) deployed through the
// REST API with a token, run once; its live execution page; "Run again" opens the Execute dialog, which is
// filled with the keyboard — a bad INT shows the server's message beside the field, a dependent input
// appears when its condition holds — and submitting opens the new execution, live, until SUCCESS and its
// log line. No request may leave the machine: every other host is refused and fails the test.

import { adminWithToken, cadenza } from "./cli";
import { deployFlow, expect, test } from "./fixtures";
import { skipWithoutTemporal } from "./temporal";

// Also run in Temporal mode (the `temporal` project).
test.beforeEach(({ baseURL: _ }, testInfo) => skipWithoutTemporal(testInfo));

const EMAIL = "launcher@example.com";
const PASSWORD = "launcher password 1";

const FLOW = `id: typed
namespace: e2e.execute
inputs:
  - id: name
    type: STRING
    description: Who to greet.
    defaults: world
  - id: count
    type: INT
    min: 1
  - id: mode
    type: SELECT
    values: [fast, slow]
    defaults: fast
  - id: delay
    type: DURATION
    dependsOn:
      inputs: [mode]
      condition: "{{ inputs.mode == 'slow' }}"
  - id: env
    type: SELECT
    values:
      - label: Production
        value: prod
      - label: Development
        value: dev
    defaults: dev
  - id: notify
    type: BOOLEAN
    defaults: false
  - id: doc
    type: FILE
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.name }} x{{ inputs.count }} mode={{ inputs.mode }} delay={{ inputs.delay ?? 'none' }} file={{ read(inputs.doc) }} env={{ inputs.env }}"
  - id: pause
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - sleep 1
      - echo slept
`;

test("Run again: the Execute dialog, filled with the keyboard, starts a run followed live to SUCCESS", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const token = await adminWithToken("main", EMAIL, PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  await deployFlow(request, token, FLOW);
  const first = await request.post("/api/v1/main/executions/e2e.execute/typed?wait=true", {
    headers: auth,
    multipart: {
      count: "1",
      doc: { name: "doc.txt", mimeType: "text/plain", buffer: Buffer.from("from curl") },
    },
  });
  expect(first.status(), await first.text()).toBe(200);
  const firstRun = (await first.json()) as { id: string; state: { current: string } };
  expect(firstRun.state.current).toBe("SUCCESS");

  // The execution page needs an account: sign in, come back to it.
  await page.goto(`/executions/${firstRun.id}`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/executions/${firstRun.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("typed");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("SUCCESS");
  await expect(page.getByRole("log", { name: "Execution logs" })).toContainText(
    "hello world x1 mode=fast delay=none file=from curl env=dev",
  );

  await page.getByRole("button", { name: "Run again" }).click();
  const dialog = page.getByRole("dialog", { name: "Execute typed" });
  await expect(dialog).toBeVisible();
  // The dependent input is hidden while its condition is false.
  await expect(dialog.getByLabel("delay")).toHaveCount(0);

  // Keyboard only: a bad INT, then the server's message beside the field.
  const count = dialog.getByLabel("count");
  await expect(count).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/execute-dialog.png" });
  await count.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("abc");
  await expect(dialog.getByRole("alert").filter({ hasText: "is not an integer" })).toHaveText(
    "'abc' is not an integer",
  );
  await expect(count).toHaveAttribute("aria-invalid", "true");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("0");
  await expect(dialog.getByRole("alert").filter({ hasText: "greater than" })).toHaveText(
    "must be greater than or equal to 1",
  );
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("3");
  await expect(dialog.getByRole("alert").filter({ hasText: /integer|greater than/ })).toHaveCount(0);

  await dialog.getByLabel("name").focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Ada");

  // SELECT by typing its first letter; the dependent DURATION appears (server-evaluated condition).
  await dialog.getByLabel("mode").focus();
  await page.keyboard.type("s");
  await expect(dialog.getByLabel("mode")).toHaveValue("slow");
  const delay = dialog.getByLabel("delay");
  await expect(delay).toBeVisible();
  await delay.focus();
  await page.keyboard.type("2");

  // Choices as { label, value }: the label is shown, the value is sent.
  await dialog.getByLabel("env").focus();
  await page.keyboard.type("P");
  await expect(dialog.getByLabel("env")).toHaveValue("prod");
  await expect(dialog.getByLabel("env").locator("option:checked")).toHaveText("Production");

  await dialog.getByLabel("doc").setInputFiles({
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("from the browser"),
  });

  // A label, keyboard again.
  await dialog.getByText("Labels and schedule").click();
  await dialog.getByRole("button", { name: "+ Add a label" }).click();
  await dialog.getByLabel("Label 1 key").focus();
  await page.keyboard.type("origin");
  await page.keyboard.press("Tab");
  await page.keyboard.type("e2e");

  await dialog.getByRole("button", { name: "Execute" }).focus();
  await page.keyboard.press("Enter");

  // The new execution's page, live until it ends.
  await expect(page).not.toHaveURL(new RegExp(`/executions/${firstRun.id}$`));
  await expect(page).toHaveURL(/\/executions\/[0-9A-Za-z]+$/);
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("SUCCESS", { timeout: 30_000 });
  await expect(page.getByRole("log", { name: "Execution logs" })).toContainText(
    "hello Ada x3 mode=slow delay=PT2M file=from the browser env=prod",
  );
  await expect(page.getByRole("log", { name: "Execution logs" })).toContainText("slept");
  await expect(page.getByRole("table", { name: "Task runs" })).toContainText("#1 success");
  await expect(page.getByText("origin:e2e")).toBeVisible();

  // A dropped stream says so, and the page catches up once the server answers again.
  const another = await request.post("/api/v1/main/executions/e2e.execute/typed", {
    headers: auth,
    multipart: { count: "2", doc: { name: "d.txt", mimeType: "text/plain", buffer: Buffer.from("again") } },
  });
  const anotherRun = (await another.json()) as { id: string };
  await page.route("**/follow", (route) => route.abort("connectionreset"));
  await page.goto(`/executions/${anotherRun.id}`);
  const connection = page.getByRole("status").filter({ hasText: /Reconnecting|Live|Ended/ });
  await expect(connection).toHaveText("Reconnecting…");
  await page.unroute("**/follow");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("SUCCESS", { timeout: 30_000 });
  await expect(connection).toHaveText("Ended");
  await expect(page.getByRole("log", { name: "Execution logs" })).toContainText("file=again");

  // No such execution: 404. Another tenant's (this person is Admin there too, but works in main): 404 too.
  await page.goto("/executions/notAnExecutionOfThisTenant");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await cadenza(["admin", "bootstrap", "--tenant", "e2e-other", "--email", EMAIL]);
  const { stdout } = await cadenza([
    "token",
    "create",
    "--tenant",
    "e2e-other",
    "--email",
    EMAIL,
    "--name",
    "o",
  ]);
  const otherAuth = { authorization: `Bearer ${stdout.trim().split("\n").pop()}` };
  expect(
    (
      await request.post("/api/v1/e2e-other/flows", {
        headers: { ...otherAuth, "content-type": "application/x-yaml" },
        data: FLOW.replace(/inputs:[\s\S]*?tasks:/, "tasks:").replace(/message: .*/, "message: other"),
      })
    ).status(),
  ).toBe(200);
  const foreign = (await (
    await request.post("/api/v1/e2e-other/executions/e2e.execute/typed?wait=true", { headers: otherAuth })
  ).json()) as { id: string; state: { current: string } };
  expect(foreign.state.current).toBe("SUCCESS");
  const response = await page.goto(`/executions/${foreign.id}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByText(foreign.id)).toHaveCount(0);
});

const GUARDED = `id: guarded
namespace: e2e.execute
inputs:
  - id: amount
    type: INT
    defaults: 5
checks:
  - when: "{{ inputs.amount > 0 }}"
    message: The amount must be positive
    style: ERROR
  - condition: "{{ inputs.amount < 100 }}"
    message: Amounts of 100 or more need a second approval
    style: WARNING
    behavior: CREATE_EXECUTION
tasks:
  - id: pay
    type: io.kestra.plugin.core.log.Log
    message: "paying {{ inputs.amount }}"
`;

test("Flow checks in the Execute dialog: a failing BLOCK check is shown in its style and disables Execute", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const email = "checker@example.com";
  const password = "checker password 1";
  const token = await adminWithToken("main", email, password);
  const deployed = await request.post("/api/v1/main/flows", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-yaml" },
    data: GUARDED,
  });
  expect(deployed.status(), await deployed.text()).toBe(200);

  await page.goto("/flows/e2e.execute/guarded");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/flows\/e2e\.execute\/guarded/);
  await page.getByRole("button", { name: "Execute", exact: true }).first().click();
  const dialog = page.getByRole("dialog", { name: "Execute guarded" });
  const amount = dialog.getByLabel("amount");
  await expect(amount).toHaveValue("5");
  const checks = dialog.getByRole("list", { name: "Checks" });
  await expect(checks).toHaveCount(0);

  await amount.fill("-3");
  await expect(checks).toContainText("The amount must be positive");
  await expect(checks).toContainText("The execution cannot start until this holds.");
  const execute = dialog.getByRole("button", { name: "Execute" });
  await expect(execute).toBeDisabled();
  await page.screenshot({ path: "test-results/e2e/execute-checks.png" });

  await amount.fill("250");
  await expect(checks).toContainText("Amounts of 100 or more need a second approval");
  await expect(checks).toContainText("The execution will still run.");
  await expect(checks).not.toContainText("must be positive");
  await expect(execute).toBeEnabled();
  await execute.click();
  await expect(page).toHaveURL(/\/executions\/[0-9A-Za-z]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("SUCCESS", { timeout: 30_000 });
  await expect(page.getByRole("log", { name: "Execution logs" })).toContainText("paying 250");
});
