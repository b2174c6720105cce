// The flow workbench as a person uses it: the empty flows list, a new flow typed with the keyboard
// (schema completion of `type:`, the engine's squiggles, the live topology), Save and a second revision,
// the revisions diff, a Viewer's read-only editor, and another tenant's 404. Nothing may leave the machine:
// every request to anything but the local server fails the test.
import type { Page } from "@playwright/test";
import { adminWithToken, cadenza } from "./cli";
import { expect, joinByInvitation, refuseOffsite, test } from "./fixtures";

const ADMIN = "flow-editor-admin@example.com";
const PASSWORD = "flow editor password 1";

async function signIn(page: Page, email: string, password: string, path: string) {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const editor = (page: Page) => page.getByTestId("code-editor").locator(".monaco-editor").first();

/** Types `text` line by line as a person would, undoing the editor's auto-indent after each Enter. */
async function typeLines(page: Page, text: string) {
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (index > 0) {
      await page.keyboard.press("Escape"); // close a suggestion list, so Enter makes a new line
      await page.keyboard.press("End");
      await page.keyboard.press("Enter");
      await page.keyboard.press("Shift+Home");
      await page.keyboard.press("Delete");
    }
    await page.keyboard.type(line, { delay: 5 });
  }
}

test("flows list, editor, save, revisions, read-only Viewer and tenant isolation", async ({
  page,
  browser,
  offsite: attempted,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const token = await adminWithToken("workbench", ADMIN, PASSWORD);

  // Flows: empty, with a way to create one.
  await signIn(page, ADMIN, PASSWORD, "/flows");
  await expect(page).toHaveURL(/\/flows$/);
  await expect(page.getByRole("heading", { name: "No flows yet" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Start from a blueprint" })).toHaveAttribute(
    "href",
    "/blueprints",
  );
  await page.getByRole("link", { name: "Create a flow" }).last().click();
  await expect(page).toHaveURL(/\/flows\/new$/);

  // Type a flow. `type: io.kestra.plugin.core.l` offers the Kestra name of Log, from the schema.
  await expect(editor(page).locator(".view-lines")).toContainText("namespace", { timeout: 30_000 });
  await editor(page).locator(".view-lines").click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Delete");
  await typeLines(
    page,
    "id: hello_flow\nnamespace: company.team\ntasks:\n  - id: first\n    type: io.kestra.plugin.core.l",
  );
  const suggestions = page.locator(".suggest-widget");
  await expect(suggestions).toBeVisible({ timeout: 10_000 });
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    const focused = (await suggestions.locator(".monaco-list-row.focused .label-name").textContent()) ?? "";
    if (focused.trim() === "io.kestra.plugin.core.log.Log") found = true;
    else await page.keyboard.press("ArrowDown");
  }
  expect(found, "io.kestra.plugin.core.log.Log is offered").toBe(true);
  await page.keyboard.press("Enter"); // accept it
  await expect(editor(page).locator(".view-lines")).toContainText("type: io.kestra.plugin.core.log.Log");

  // A misspelt property: a squiggle whose message names it (the engine's own message).
  await typeLines(page, "\n    mesage: hello");
  const squiggle = editor(page).locator(".squiggly-error");
  await expect(squiggle.first()).toBeVisible({ timeout: 5_000 });
  await expect(page.getByTestId("validation-summary")).toContainText("error");
  const box = await editor(page).locator(".view-line", { hasText: "mesage" }).boundingBox();
  if (!box) throw new Error("the misspelt line is not on screen");
  await page.mouse.move(box.x + 60, box.y + box.height / 2);
  await expect(page.locator(".monaco-hover").filter({ hasText: "mesage" }).first()).toContainText(
    "unknown property 'mesage'",
    { timeout: 10_000 },
  );
  // Saving it is refused, with the reasons listed.
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const refused = page.getByRole("alert").filter({ hasText: "Not saved" });
  await expect(refused).toContainText("the flow is invalid");
  await expect(refused).toContainText("unknown property 'mesage'");
  await expect(page).toHaveURL(/\/flows\/new$/);
  await refused.getByRole("button", { name: "Dismiss" }).click();
  // Fix it: the error goes.
  await page.keyboard.press("Escape");
  await editor(page).locator(".view-line", { hasText: "mesage" }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Shift+Home");
  await page.keyboard.type("message: hello", { delay: 5 });
  await expect(page.getByTestId("validation-summary")).toHaveText("Valid", { timeout: 5_000 });
  const topology = page.getByTestId("topology");
  await expect(topology.locator('[data-task-id="first"]')).toBeVisible({ timeout: 5_000 });

  // Adding a task adds its node to the topology. How fast is reported, not asserted (a loaded machine
  // is not a slow editor): bench/ui-editor.ts measures it.
  await typeLines(page, "\n  - id: second\n    type: io.kestra.plugin.core.log.Log\n    message: again");
  await page.keyboard.press("Escape");
  const typed = Date.now();
  await expect(topology.locator('[data-task-id="second"]')).toBeVisible({ timeout: 10_000 });
  test
    .info()
    .annotations.push({ type: "topology node after typing (ms)", description: String(Date.now() - typed) });

  // Save with Ctrl/Cmd-S: the flow exists, its editor URL is a deep link.
  await expect(page.getByTestId("unsaved")).toBeVisible();
  await page.keyboard.press("ControlOrMeta+S");
  await expect(page).toHaveURL(/\/flows\/company\.team\/hello_flow\/edit$/, { timeout: 15_000 });
  await expect(page.getByTestId("unsaved")).toHaveCount(0);

  // A second revision: change a message and press Save.
  await expect(editor(page).locator(".view-lines")).toContainText("again", { timeout: 30_000 });
  await editor(page).locator(".view-line", { hasText: "again" }).click();
  await page.keyboard.press("End");
  await page.keyboard.type(" and again", { delay: 5 });
  await expect(page.getByTestId("unsaved")).toBeVisible();
  await expect(topology.locator('[data-task-id="second"][data-change="changed"]')).toBeVisible({
    timeout: 5_000,
  });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Saved as revision 2.")).toBeVisible({ timeout: 15_000 });

  // Revisions: two, and their diff.
  await page.getByRole("link", { name: "Revisions" }).click();
  await expect(page).toHaveURL(/\/flows\/company\.team\/hello_flow\/revisions$/);
  await expect(page.getByTestId("revision-row")).toHaveCount(2);
  await expect(page.getByTestId("diff-title")).toHaveText("Revision 1 → revision 2");
  const diff = page.getByTestId("revisions-diff");
  await expect(
    diff.locator(".modified-in-monaco-diff-editor .view-lines.monaco-mouse-cursor-text"),
  ).toContainText("again and again", {
    timeout: 30_000,
  });
  await expect(
    diff.locator(".original-in-monaco-diff-editor .view-lines.monaco-mouse-cursor-text"),
  ).not.toContainText("and again");

  // The list shows it now.
  await page.goto("/flows");
  await expect(page.getByRole("table", { name: "Flows" })).toContainText("hello_flow");
  await page.getByRole("checkbox", { name: "Select company.team.hello_flow" }).check();
  await expect(page.getByTestId("selection-bar")).toContainText("1 selected");

  // YAML whose indentation is broken everywhere gives dozens of errors: the first few are listed, the
  // rest counted, all of them underlined in the editor. (insertText gets Monaco's auto-indent on each line.)
  // On a page of its own, closed afterwards: its unsaved text would hold this one at the leave guard.
  const scratch = await page.context().newPage();
  await scratch.goto("/flows/new");
  await expect(editor(scratch).locator(".view-lines")).toContainText("namespace", { timeout: 30_000 });
  await editor(scratch).locator(".view-lines").click();
  await scratch.keyboard.press("ControlOrMeta+A");
  await scratch.keyboard.press("Delete");
  await scratch.keyboard.insertText(
    "id: broken\nnamespace: company.team\ntasks:\n" +
      ["a", "b", "c"]
        .map((id) => `  - id: ${id}\n    type: io.kestra.plugin.core.log.Log\n    message: ${id}\n`)
        .join(""),
  );
  await scratch.getByRole("button", { name: "Save", exact: true }).click();
  const many = scratch.getByRole("alert").filter({ hasText: "Not saved" });
  await expect(many.getByRole("button", { name: /^line \d+, column \d+/ })).toHaveCount(8);
  await expect(many).toContainText(/and \d+ more, each underlined in the editor/);
  await scratch.close();

  // A Viewer sees the editor read-only, with the reason, and no Save.
  const invitation = await page.request.post("/api/v1/workbench/invitations", {
    headers: { authorization: `Bearer ${token}` },
    data: { role: "Viewer" },
  });
  expect(invitation.status()).toBe(201);
  const { path: invitePath } = (await invitation.json()) as { path: string };
  const viewerContext = await browser.newContext({ baseURL: new URL(page.url()).origin });
  await refuseOffsite(viewerContext, baseURL, attempted);
  const viewer = await viewerContext.newPage();
  await joinByInvitation(viewer, invitePath, `flow-viewer-${Date.now()}@example.com`, "viewer password 1");
  await viewer.goto("/flows/company.team/hello_flow/edit");
  await expect(viewer.getByTestId("read-only")).toContainText("needs FLOW:UPDATE on company.team");
  await expect(viewer.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
  await expect(editor(viewer).locator(".view-lines")).toContainText("again and again", { timeout: 30_000 });
  await editor(viewer).locator(".view-line", { hasText: "again and again" }).click();
  await viewer.keyboard.type("XYZ");
  await expect(editor(viewer).locator(".view-lines")).not.toContainText("XYZ");
  await viewerContext.close();

  // Execute with an input typed in the form (revision 3 declares one, deployed as GitOps would).
  const updated = await page.request.put("/api/v1/workbench/flows/company.team/hello_flow", {
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-yaml" },
    data: `id: hello_flow
namespace: company.team
inputs:
  - id: who
    type: STRING
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.who }}"
`,
  });
  expect(updated.status(), await updated.text()).toBe(200);
  await page.goto("/flows/company.team/hello_flow");
  const launch = page.getByRole("dialog", { name: "Execute hello_flow" });
  // Until the page has hydrated the shortcut has no listener yet: press again until the dialog opens.
  await expect(async () => {
    await page.keyboard.press("ControlOrMeta+E");
    await expect(launch).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await launch.getByLabel("who").fill("Ada");
  await launch.getByRole("button", { name: "Execute" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9A-Za-z]+$/, { timeout: 15_000 });
  await expect(page.getByRole("heading", { level: 1 })).toContainText("SUCCESS", { timeout: 30_000 });
  await expect(page.getByRole("log", { name: "Execution logs" })).toContainText("hello Ada");

  // A person of another tenant: the flow's URL is a 404.
  await cadenza([
    "admin",
    "bootstrap",
    "--tenant",
    "elsewhere",
    "--email",
    "elsewhere@example.com",
    "--password",
    "elsewhere password 1",
  ]);
  const otherContext = await browser.newContext({ baseURL: new URL(page.url()).origin });
  await refuseOffsite(otherContext, baseURL, attempted);
  const other = await otherContext.newPage();
  await signIn(other, "elsewhere@example.com", "elsewhere password 1", "/flows");
  await expect(other).toHaveURL(/\/flows$/);
  const response = await other.goto("/flows/company.team/hello_flow/edit");
  expect(response?.status()).toBe(404);
  await expect(other.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await otherContext.close();

  expect(attempted, "requests to other hosts").toEqual([]);
});
