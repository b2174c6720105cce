// Kestra's Approval from the execution page: a flow deployed through the API pauses on its Approval; the
// reviewer comments and approves with the task's own button label, the execution goes on to SUCCESS and the
// Overview shows the decision (who, comment). A Viewer sees the review buttons disabled, naming the
// permission they need. Screenshot: test-results/e2e/approval-review.png.
import { adminWithToken } from "./cli";
import { deployFlow, expect, joinByInvitation, refuseOffsite, test } from "./fixtures";

const EMAIL = "approval@example.com";
const PASSWORD = "approval password 1";

const FLOW = `id: gated
namespace: e2e.approval
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    commentRequired: ALWAYS
    decisions:
      approve: Ship it
      deny: Stop
    onApprove:
      - id: approved
        type: io.kestra.plugin.core.log.Log
        message: "approved by {{ outputs.approval.by }}"
  - id: deploy
    type: io.kestra.plugin.core.log.Log
    message: deploying
`;

test("approve an Approval with a comment from the execution page; a Viewer cannot", async ({
  page,
  request,
  browser,
  offsite,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const token = await adminWithToken("main", EMAIL, PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  await deployFlow(request, token, FLOW);
  type Json = { id: string; state: { current: string }; taskRunList: { taskId: string; outputs?: object }[] };
  const read = async (id: string) =>
    (await (await request.get(`/api/v1/main/executions/${id}`, { headers: auth })).json()) as Json;
  const paused = async () => {
    const started = await request.post("/api/v1/main/executions/e2e.approval/gated", {
      headers: auth,
      data: {},
    });
    expect(started.status(), await started.text()).toBe(200);
    const { id } = (await started.json()) as Json;
    await expect.poll(async () => (await read(id)).state.current, { timeout: 20_000 }).toBe("PAUSED");
    return id;
  };
  const id = await paused();

  await page.goto(`/executions/${id}`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/executions/${id}`));
  const review = page.getByRole("region", { name: "Review approval" });
  await expect(review).toBeVisible();
  // commentRequired: ALWAYS — no decision without a comment.
  await expect(review.getByRole("button", { name: "Ship it" })).toBeDisabled();
  await expect(review.getByRole("button", { name: "Stop" })).toBeDisabled();
  await review.getByLabel(/Comment/).fill("LGTM, ship it");
  await page.screenshot({ path: "test-results/e2e/approval-review.png" });
  await review.getByRole("button", { name: "Ship it" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("SUCCESS", { timeout: 20_000 });
  await expect(review).toBeHidden();
  const decision = page.getByTestId("approval-decision");
  await expect(decision).toContainText(`approval: APPROVED by ${EMAIL}`);
  await expect(decision).toContainText("LGTM, ship it");
  const done = await read(id);
  expect(done.state.current).toBe("SUCCESS");
  expect(done.taskRunList.map((r) => r.taskId)).toEqual(["approval", "approved", "deploy"]);
  expect(done.taskRunList[0]?.outputs).toMatchObject({
    decision: "APPROVED",
    by: EMAIL,
    comment: "LGTM, ship it",
  });

  // A Viewer sees the review, its buttons disabled and naming the permission they need.
  const waiting = await paused();
  const invited = await request.post("/api/v1/main/invitations", { headers: auth, data: { role: "Viewer" } });
  expect(invited.status()).toBe(201);
  const viewerContext = await browser.newContext();
  await refuseOffsite(viewerContext, baseURL, offsite);
  const viewer = await viewerContext.newPage();
  await joinByInvitation(
    viewer,
    (await invited.json()).path,
    `approval-viewer-${Date.now()}@example.com`,
    PASSWORD,
  );
  await viewer.goto(`/executions/${waiting}`);
  const viewerReview = viewer.getByRole("region", { name: "Review approval" });
  await expect(viewerReview.getByRole("button", { name: "Ship it" })).toBeDisabled();
  await expect(
    viewerReview.locator("[title='needs EXECUTION:UPDATE on e2e.approval']").filter({ hasText: "Ship it" }),
  ).toBeAttached();
  await viewerContext.close();
  expect(offsite, "requests to other hosts").toEqual([]);
  await request.delete(`/api/v1/main/executions/${waiting}/kill`, { headers: auth });
});
