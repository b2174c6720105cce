// A Playwright `test` whose pages may reach only the server under test: every request to another host is
// answered with a network failure and recorded, and the test fails if one was attempted (the console must
// work offline: no CDN, no font service, no analytics).
import { test as base, expect, type Page } from "@playwright/test";

export const test = base.extend<{ offsite: string[] }>({
  offsite: [
    async ({ context, baseURL }, use) => {
      const local = new URL(baseURL ?? "http://127.0.0.1").host;
      const attempts: string[] = [];
      await context.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.host === local || url.protocol === "data:" || url.protocol === "blob:")
          return route.continue();
        attempts.push(route.request().url());
        return route.abort("internetdisconnected");
      });
      await use(attempts);
      expect(attempts, "requests to other hosts").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("banner")).toContainText(`Signed in as ${email}`);
}
