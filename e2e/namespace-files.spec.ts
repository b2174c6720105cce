// A namespace's files in the browser: a folder and a file created from the panel, edited in Monaco (loaded
// from the app itself: any request to another host fails the test) and saved with Ctrl-S, a file uploaded,
// renamed and deleted; a script task then runs the saved file.

import { adminWithToken } from "./cli";
import { expect, test } from "./fixtures";

const EMAIL = "files@example.com";
const PASSWORD = "files password 123";

test("namespace files: create, edit with Ctrl-S, upload, rename, delete; a script runs the saved file", async ({
  page,
  request,
}) => {
  const token = await adminWithToken("main", EMAIL, PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  await page.goto("/namespaces/e2e.files/files");
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/namespaces\/e2e\.files\/files$/);
  const panel = page.getByRole("region", { name: "Files of e2e.files" });
  await expect(panel).toContainText("No files yet.");

  await panel.getByRole("button", { name: "New folder" }).click();
  await panel.getByLabel("New folder name").fill("scripts");
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("button", { name: "scripts" })).toBeVisible();
  await panel.getByRole("button", { name: "New file" }).click();
  await panel.getByLabel("New file name").fill("hello.sh");
  await page.keyboard.press("Enter");

  // Monaco, with shell highlighting; Ctrl-S saves.
  const editor = panel.locator(".monaco-editor");
  await expect(editor).toBeVisible({ timeout: 20_000 });
  await expect(editor).toHaveAttribute("data-uri", /hello\.sh$/);
  await editor.click();
  await page.keyboard.type('echo "hello from $(cat data.txt)"');
  await expect(panel.getByTitle("Unsaved changes")).toBeVisible();
  await page.keyboard.press("ControlOrMeta+s");
  await expect(panel.getByText("saved", { exact: true })).toBeVisible();
  const saved = await request.get("/api/v1/main/namespaces/e2e.files/files?path=/scripts/hello.sh", {
    headers: auth,
  });
  expect(await saved.text()).toBe('echo "hello from $(cat data.txt)"');

  // Upload into the root, rename it, and delete a scratch file.
  await panel.getByRole("button", { name: "/ (root)" }).click();
  await panel.getByLabel("Upload files").setInputFiles([
    { name: "input.txt", mimeType: "text/plain", buffer: Buffer.from("the browser") },
    { name: "scratch.txt", mimeType: "text/plain", buffer: Buffer.from("doomed") },
  ]);
  await panel.getByRole("button", { name: /input\.txt/ }).click();
  await panel.getByRole("button", { name: "Rename" }).click();
  await panel.getByLabel("New path").fill("/scripts/data.txt");
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("button", { name: /data\.txt/ })).toBeVisible();
  await expect(panel.getByRole("button", { name: /input\.txt/ })).toHaveCount(0);
  await panel.getByRole("button", { name: /scratch\.txt/ }).click();
  page.once("dialog", (dialog) => void dialog.accept());
  await panel.getByRole("button", { name: "Delete" }).click();
  await expect(panel.getByRole("button", { name: /scratch\.txt/ })).toHaveCount(0);

  const listing = await request.get("/api/v1/main/namespaces/e2e.files/files/directory?path=/scripts", {
    headers: auth,
  });
  expect(((await listing.json()) as { fileName: string }[]).map((f) => f.fileName)).toEqual([
    "data.txt",
    "hello.sh",
  ]);

  // What the panel saved is what a script task reads.
  const deployed = await request.post("/api/v1/main/flows", {
    headers: { ...auth, "content-type": "application/x-yaml" },
    data: `id: uses_files
namespace: e2e.files
tasks:
  - id: run
    type: io.kestra.plugin.scripts.shell.Commands
    namespaceFiles:
      enabled: true
    commands:
      - cd scripts && sh hello.sh
`,
  });
  expect(deployed.status()).toBe(200);
  const run = await request.post("/api/v1/main/executions/e2e.files/uses_files?wait=true", { headers: auth });
  const execution = (await run.json()) as { id: string; state: { current: string } };
  expect(execution.state.current).toBe("SUCCESS");
  const logs = await request.get(`/api/v1/main/logs/${execution.id}`, { headers: auth });
  expect(((await logs.json()) as { message: string }[]).map((l) => l.message)).toContain(
    "hello from the browser",
  );
});
