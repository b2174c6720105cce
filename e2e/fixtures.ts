// A Playwright `test` whose pages may reach only the server under test: every request to another host is
// answered with a network failure and recorded, and the test fails if one was attempted (the console must
// work offline: no CDN, no font service, no analytics).
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  expect,
  type Page,
} from "@playwright/test";

/**
 * Lets `context` reach only the server under test (and data:/blob: URLs, which never leave the page):
 * any other request fails and is recorded in `attempts`. Tests that open more contexts (a second person)
 * call it on each, with the same `attempts`.
 */
export async function refuseOffsite(
  context: BrowserContext,
  baseURL: string | undefined,
  attempts: string[],
): Promise<void> {
  const local = new URL(baseURL ?? "http://127.0.0.1").host;
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.host === local || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    attempts.push(route.request().url());
    return route.abort("internetdisconnected");
  });
}

export const test = base.extend<{ offsite: string[] }>({
  offsite: [
    async ({ context, baseURL }, use) => {
      const attempts: string[] = [];
      await refuseOffsite(context, baseURL, attempts);
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

/**
 * Opens an invitation link, creates the account, then signs in with it (sign-up signs nobody in: its
 * answer must not tell whether the email had an account).
 */
export async function joinByInvitation(
  page: Page,
  invitePath: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(invitePath);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password (at least 10 characters)").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/sign-in\?signedUp=1/);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("banner")).toContainText(`Signed in as ${email}`);
}

/**
 * Deploys a flow through the REST API and expects it stored: created, or updated when a first attempt of
 * the same test (Playwright retries it) created it already.
 */
export async function deployFlow(
  request: APIRequestContext,
  token: string,
  yaml: string,
  tenant = "main",
): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/x-yaml" };
  let response = await request.post(`/api/v1/${tenant}/flows`, { headers, data: yaml });
  if (response.status() === 409) {
    const namespace = /^namespace:\s*(\S+)/m.exec(yaml)?.[1];
    const id = /^id:\s*(\S+)/m.exec(yaml)?.[1];
    response = await request.put(`/api/v1/${tenant}/flows/${namespace}/${id}`, { headers, data: yaml });
  }
  expect(response.status(), await response.text()).toBe(200);
}
