import { describe, expect, it } from "vitest";
import { main } from "@/cli/main";
import { caseArgs, caseName, checkExpectations, loadCases } from "./corpus";

/**
 * Every case of Kestra's conformance corpus, through the CLI's own code path (`cadenza flow run --engine
 * memory`), with the real clock: sleeps, retries and SLAs take their real time, so cases run concurrently.
 */
describe.concurrent("conformance: cadenza flow run --engine memory", () => {
  for (const c of loadCases()) {
    it(caseName(c), async () => {
      let stdout = "";
      let stderr = "";
      const code = await main(
        ["flow", "run", ...caseArgs(c), "--engine", "memory", "--quiet", "--timeout", "60s"],
        {
          stdout: (t) => {
            stdout += t;
          },
          stderr: (t) => {
            stderr += t;
          },
        },
      );
      expect(code, stderr).toBe(0);
      checkExpectations(JSON.parse(stdout), c.expect);
    });
  }
});
