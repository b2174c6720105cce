// Proof under hostile input (issue 18), the YAML loader's share: whatever text arrives as a flow — random
// junk, YAML-looking junk, valid flows cut or mutated at random, hostile YAML (aliases, deep nesting, tags,
// prototype keys) — loadFlow returns a result (a flow, or errors each with a message and a line and column
// inside the text) and never throws. The expression engine has its own (engine/expr/test/fuzz.test.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";

const registry = builtInRegistry();

const VALID = `id: hello
namespace: company.team
inputs:
  - id: who
    type: STRING
    defaults: world
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEach
    values: ["a", "b"]
    tasks:
      - id: log
        type: io.kestra.plugin.core.log.Log
        message: "{{ inputs.who }} {{ taskrun.value }}"
  - id: shell
    type: io.kestra.plugin.scripts.shell.Commands
    commands: ["echo hi"]
    retry: { type: constant, interval: PT1S, maxAttempts: 2 }
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: abc
`;

/** Pieces that YAML parsers and our schema handle specially. */
const TOKENS = [
  ":",
  "- ",
  "  ",
  "\n",
  "&a ",
  "*a",
  "!!str ",
  "!!binary ",
  "!!js/function ",
  "<<: *a",
  "? ",
  "|",
  ">-",
  "{",
  "}",
  "[",
  "]",
  "'",
  '"',
  "#",
  "%YAML 1.2\n",
  "---\n",
  "...\n",
  "__proto__",
  "constructor",
  "prototype",
  "id",
  "namespace",
  "tasks",
  "type",
  "io.kestra.plugin.core.log.Log",
  "core.flow.Parallel",
  "{{ ",
  " }}",
  "\t",
  "\u0000",
  "\uFEFF",
  "9".repeat(400),
  "-.inf",
  "0x1F",
  "~",
  "null",
  "true",
  "PT1S",
  "😀",
];

const junkYaml = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join(""));

/** The valid flow with a random slice replaced by random text. */
const mutated = fc
  .tuple(fc.nat(VALID.length), fc.nat(40), fc.oneof(fc.string({ maxLength: 20 }), junkYaml))
  .map(([at, cut, insert]) => VALID.slice(0, at) + insert + VALID.slice(at + cut));

function loadsCleanly(text: string): void {
  const result = loadFlow(text, { registry });
  expect(Array.isArray(result.errors)).toBe(true);
  if (result.errors.length === 0) expect(result.flow).toBeDefined();
  for (const error of result.errors) {
    expect(typeof error.message).toBe("string");
    expect(error.message).not.toMatch(/\n\s+at |\.ts:\d+/);
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.column).toBeGreaterThanOrEqual(1);
  }
}

describe("the YAML flow loader under random and hostile input", () => {
  it("loads the seed flow", () => {
    expect(loadFlow(VALID, { registry }).errors).toEqual([]);
  });

  it("never throws on random text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), loadsCleanly), { numRuns: 300 });
  });

  it("never throws on YAML-looking junk", () => {
    fc.assert(fc.property(junkYaml, loadsCleanly), { numRuns: 500 });
  });

  it("never throws on a valid flow cut and spliced at random", () => {
    fc.assert(fc.property(mutated, loadsCleanly), { numRuns: 500 });
  });

  it("refuses alias bombs and deep nesting with errors, not exceptions", () => {
    const laughs = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 9 }, (_, i) => {
        const name = String.fromCharCode(98 + i);
        const previous = String.fromCharCode(97 + i);
        return `${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`;
      }),
      "id: x\nnamespace: y\ntasks: []",
    ].join("\n");
    loadsCleanly(laughs);
    loadsCleanly(`${"[".repeat(5_000)}${"]".repeat(5_000)}`);
    loadsCleanly(`${"- ".repeat(2_000)}x`);
  });
});
