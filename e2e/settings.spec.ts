// The tenant's settings page: namespace isolation is a field with its meaning spelled out, and keys the
// form does not know (stored by API clients) survive a save from the page.
import { adminWithToken } from "./cli";
import { expect, signIn, test } from "./fixtures";

const TENANT = "e2e-settings";
const EMAIL = "settings-admin@example.com";
const PASSWORD = "settings admin password 1";

test("tenant settings: namespace isolation as a field, other keys kept", async ({ page, request }) => {
  // Two CLI processes (bootstrap, token) before the page: slow on a loaded machine.
  test.setTimeout(90_000);
  const token = await adminWithToken(TENANT, EMAIL, PASSWORD);
  const headers = { authorization: `Bearer ${token}` };
  const seeded = await request.put(`/api/v1/${TENANT}/settings`, {
    headers,
    data: { settings: { clientKey: "kept" } },
  });
  expect(seeded.status(), await seeded.text()).toBe(200);

  await signIn(page, EMAIL, PASSWORD);
  await page.goto("/settings");
  const isolation = page.getByLabel("Namespace isolation");
  await expect(isolation).toHaveValue("strict");
  await expect(page.getByText(/A flow reaches only its own namespace/)).toBeVisible();
  await isolation.selectOption("open");
  await expect(page.getByText(/No boundaries between namespaces/)).toBeVisible();
  await page.getByText("Other settings (JSON)").click();
  await expect(page.getByLabel("Other settings (JSON object)")).toHaveValue(/"clientKey": "kept"/);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");

  const stored = await request.get(`/api/v1/${TENANT}/settings`, { headers });
  expect((await stored.json()).settings).toEqual({ clientKey: "kept", namespaceIsolation: "open" });
  await page.reload();
  await expect(page.getByLabel("Namespace isolation")).toHaveValue("open");
});
