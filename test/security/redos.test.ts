// ReDoS (security issue 17, part 3). `{{ 'a' * 30 | replace({'(.*a){12}b': 'x'}, regexp=true) }}` ran
// 12 s on the engine's event loop (JavaScript's backtracking RegExp; the nested-quantifier guard
// missed `{n}`), stalling every execution, the API and the health check served by the same process.
// Every tenant regex now runs on RE2 (re2js), linear in the input: through the real server and
// embedded engine, the template's execution ends while a lag monitor on the same event loop never
// sees it blocked for more than 3 s: a quarter of what the bug did (12 s), and above what a loaded 2-core
// machine's scheduling alone produces (889 ms was seen with six test runs side by side).
import { afterEach, describe, expect, it } from "vitest";
import { compileRegex, render } from "@/engine/expr";
import { options } from "@/engine/expr/test/helpers";
import { setUpApi } from "../api/harness";

const api = setUpApi({ runtime: true });

const THIRTY = "a".repeat(30);
const EVIL = "(.*a){12}b";

/** The longest gap between ticks of a 10 ms interval: how long the event loop was blocked. */
function lagMonitor(): { stop(): number } {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 10);
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(max, performance.now() - last - 10);
    },
  };
}

let monitor: { stop(): number } | undefined;
afterEach(() => void monitor?.stop());

describe("user regular expressions cannot stall the engine", () => {
  it("answers the ReDoS template at once, and in linear time on a long input", () => {
    expect(render(`{{ '${THIRTY}' | replace({'${EVIL}': 'x'}, regexp=true) }}`, {}, options)).toBe(THIRTY);
    expect(compileRegex(EVIL).test("a".repeat(100_000))).toBe(false);
    expect(compileRegex("(a+)+$").matchesWhole(`${"a".repeat(100_000)}!`)).toBe(false);
  });

  it("runs the template through the server's engine without blocking its event loop", async () => {
    const { token } = await api.admin("acme", "admin@acme.test");
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await api.call(method, `acme/${path}`, { token, body });
      expect(response.status, `${method} ${path}: ${response.text}`).toBeLessThan(300);
      return response.json as {
        id: string;
        state: { current: string };
        taskRunList: { taskId: string; outputs?: unknown }[];
      };
    };
    await call(
      "POST",
      "flows",
      `id: redos
namespace: company.team
inputs:
  - { id: long, type: STRING, defaults: "${"a".repeat(5_000)}" }
  - { id: checked, type: STRING, defaults: "${THIRTY}", validator: "(.*a){12}|${EVIL}" }
tasks:
  - id: template
    type: core.debug.Return
    format: "{{ '${THIRTY}' | replace({'${EVIL}': 'x'}, regexp=true) }}"
  - id: long
    type: core.debug.Return
    format: "{{ inputs.long | replace({'${EVIL}': 'x'}, regexp=true) | length }}"
  - id: split
    type: core.debug.Return
    format: "{{ inputs.long | split('(a|aa)*b') | length }}"
  - id: jq
    type: core.debug.Return
    format: "{{ {'s': inputs.long} | jq('.s | test(\\"(a+)+$\\")') | first }}"
`,
    );
    monitor = lagMonitor();
    const done = await call("POST", "executions/company.team/redos?wait=true");
    const lag = monitor.stop();
    const logs = (await api.call("GET", `acme/logs/${done.id}`, { token })).text;
    expect(done.state.current, logs).toBe("SUCCESS");
    const outputs = Object.fromEntries(done.taskRunList.map((r) => [r.taskId, r.outputs]));
    expect(outputs).toEqual({
      template: { value: THIRTY },
      long: { value: "5000" },
      split: { value: "1" },
      jq: { value: "true" },
    });
    expect(lag, `the event loop was blocked for ${Math.round(lag)} ms`).toBeLessThan(3_000);
  }, 60_000);

  it("names the Java constructs RE2 cannot run instead of running them", () => {
    expect(() => render("{{ 'aa' | replace({'(a)\\\\1': 'x'}, regexp=true) }}", {}, options)).toThrow(
      "uses a backreference (\\1)",
    );
    expect(() => render("{{ 'ab' | replace({'a(?=b)': 'x'}, regexp=true) }}", {}, options)).toThrow(
      "uses a lookahead (?=...)",
    );
  });
});
