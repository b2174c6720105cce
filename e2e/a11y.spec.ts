// Every page of the navigation (and the console's other pages: a namespace's tabs, a plugin's page, the
// person's settings) has no serious or critical axe-core violation, in the light and the dark theme.
import AxeBuilder from "@axe-core/playwright";
import { sections } from "../app/_components/sections";
import { adminWithToken } from "./cli";
import { expect, signIn, test } from "./fixtures";

const EMAIL = "a11y-admin@example.com";
const PASSWORD = "a11y admin password 1";

const FLOW = `id: hello
namespace: a11y.team
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: a11y.team
    flowId: child
`;
const CHILD = `id: child
namespace: a11y.team
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
`;

const pages = [
  "/",
  ...sections.map((s) => s.href),
  "/namespaces/a11y.team",
  "/namespaces/a11y.team/kv",
  "/namespaces/a11y.team/secrets",
  "/namespaces/a11y.team/dependencies",
  "/plugins/core.flow.Subflow",
  "/account",
];

for (const theme of ["light", "dark"] as const) {
  test(`no serious or critical accessibility violation, ${theme} theme`, async ({ page, request }) => {
    test.setTimeout(180_000);
    const token = await adminWithToken("main", EMAIL, PASSWORD);
    for (const yaml of [CHILD, FLOW])
      await request.post("/api/v1/main/flows", {
        headers: { authorization: `Bearer ${token}`, "content-type": "application/x-yaml" },
        data: yaml,
      });
    // The theme "system" follows the browser: emulate its preference.
    await page.emulateMedia({ colorScheme: theme });
    await signIn(page, EMAIL, PASSWORD);
    const failures: string[] = [];
    for (const path of pages) {
      await page.goto(path);
      await expect(page.locator("main")).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: /Loading|Computing/ })).toHaveCount(0);
      expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(
        theme === "dark",
      );
      const results = await new AxeBuilder({ page }).analyze();
      for (const v of results.violations)
        if (v.impact === "serious" || v.impact === "critical")
          failures.push(
            `${path}: ${v.id} (${v.impact}) ${v.help}\n${v.nodes
              .slice(0, 8)
              .map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ")}`)
              .join("\n")}`,
          );
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
}
