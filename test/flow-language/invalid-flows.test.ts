import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "@/cli/main";

/**
 * Invalid flows, each with the exact `file:line:col message` lines `cadenza flow validate` must print
 * (test/flow-language/invalid-expected.txt, in the style of Kestra's invalids/ fixtures).
 */
const dir = fileURLToPath(new URL("./invalid/", import.meta.url));
const expectedLines = readFileSync(new URL("./invalid-expected.txt", import.meta.url), "utf8")
  .trim()
  .split("\n");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("invalid flows: cadenza flow validate reports each problem at its line and column", () => {
  it("has at least 40 fixtures, each with expected errors", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const file of files)
      expect(
        expectedLines.some((l) => l.startsWith(`${file}:`)),
        file,
      ).toBe(true);
  });

  for (const file of files) {
    it(file, async () => {
      let stdout = "";
      const code = await main(["flow", "validate", `${dir}${file}`], {
        stdout: (t) => {
          stdout += t;
        },
        stderr: () => {},
      });
      expect(code).toBe(1);
      const printed = stdout
        .trim()
        .split("\n")
        .map((line) => line.slice(line.indexOf(file)));
      expect(printed).toEqual(expectedLines.filter((l) => l.startsWith(`${file}:`)));
    });
  }
});
