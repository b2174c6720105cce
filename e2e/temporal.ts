// The `temporal` Playwright project runs some specs again against a `cadenza start` in Temporal mode
// (playwright.config.ts). Which server a test talks to, and whether it can run at all, depend on it.
import type { TestInfo } from "@playwright/test";

export const inTemporalProject = (testInfo: TestInfo) => testInfo.project.name === "temporal";

/** Skips (reported as skipped) a test of the temporal project when no Temporal CLI is installed. */
export function skipWithoutTemporal(testInfo: TestInfo): void {
  testInfo.skip(
    inTemporalProject(testInfo) && !process.env.CADENZA_E2E_TEMPORAL_PORT,
    "no Temporal CLI: run `npm run temporal:install` to run this spec in Temporal mode",
  );
}
