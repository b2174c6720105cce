import { describe, expect, it } from "vitest";
import type { Execution } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import type { Plugin } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";
import type { MemoryEngine } from "@/worker/memory";
import { openNamespaceAccess } from "@/worker/namespace-access";
import { inputFileUri } from "@/worker/storage/uris";
import { flowOf, newEngine } from "./helpers";

/**
 * Runs the examples of the task plugins of the scripts, serdes, HTTP, KV, files and execution-services
 * groups on the memory engine. An example that needs the internet (this machine reaches only package
 * registries) is reported as skipped with its reason, never as passed.
 */
const SCOPE =
  /^(scripts\.|serdes\.|core\.(http|kv|storage|namespace|templating)\.|core\.log\.Fetch$|core\.execution\.(Count|Resume)$|core\.trigger\.Toggle$)/;

const NEEDS_INTERNET: Record<string, string> = {
  "Store the URI of a downloaded file under the key `orders_file`": "downloads from huggingface.co",
  "POST a JSON payload and log the response": "calls dummyjson.com",
  "Call an API with a bearer token from a secret": "calls dummyjson.com with a secret",
  "Download a CSV file and log its size": "downloads from huggingface.co",
  "Run a Python script stored as a namespace file": "installs requests from PyPI",
  "Compute a total with pandas and send it as an output":
    "installs pandas from PyPI and reads huggingface.co",
  "Install an npm package, write a script and run it": "installs colors from the npm registry",
  "Download a CSV file and convert it to ION": "downloads from huggingface.co",
  "Convert a JSON-lines file downloaded from an API to ION": "downloads from huggingface.co",
};

/** How an example ends when it is not in SUCCESS, and why. */
const EXPECTED_END: Record<string, { state: Execution["state"]["current"]; errors: string[] }> = {
  // The monitored flow never ran here: the example's own alert fails the execution, as designed.
  "Every morning, fail when a flow did not run in the last 24 hours": {
    state: "FAILED",
    errors: ["alert: The logs flow did not run in the last 24 hours"],
  },
};

/** Rows every FILE input gets: JSON lines, which the storage examples filter, deduplicate and split. */
const SAMPLE =
  '{"product_id":20,"customer_email":"a@example.com","total":10}\n{"product_id":21,"customer_email":"a@example.com","total":5}\n';

/** Setup some examples need: state they expect to exist, or the trigger that would start them. */
const SETUP: Record<string, (engine: MemoryEngine) => Promise<Record<string, unknown>>> = {
  "Read `my_variable` from the `company` namespace and fail when it is not set": async (engine) => {
    await engine.kv.set("company", "my_variable", "value");
    return {};
  },
  "Resume the paused execution that triggered this flow": async (engine) => {
    const paused = await engine.start(
      flowOf(`id: approval_flow
namespace: company.team
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
`),
    );
    for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(engine.get(paused.id).state.current).toBe("PAUSED");
    return {
      trigger: {
        id: "on_paused",
        type: "io.kestra.plugin.core.trigger.Flow",
        variables: { executionId: paused.id, namespace: "company.team", flowId: "approval_flow" },
      },
    };
  },
};

const examples = builtInRegistry()
  .list()
  .filter((plugin: Plugin) => SCOPE.test(plugin.type) && plugin.kind !== "trigger")
  .flatMap((plugin) => (plugin.examples ?? []).map((example) => ({ plugin: plugin.type, ...example })));

async function runExample(engine: MemoryEngine, flow: Flow, title: string): Promise<Execution> {
  const extra = (await SETUP[title]?.(engine)) ?? {};
  const id = `example${Math.random().toString(36).slice(2, 10)}`;
  const inputs: Record<string, unknown> = {};
  for (const input of flow.inputs) {
    if (input.type === "FILE" && (input as { defaults?: unknown }).defaults === undefined) {
      inputs[input.id] = await engine.storage.put(
        inputFileUri(flow.namespace, flow.id, id, input.id, "sample.jsonl"),
        SAMPLE,
      );
    }
  }
  const started = await engine.start(flow, { id, inputs, ...extra });
  const done = await engine.wait(started.id);
  expect(engine.takeFailures()).toEqual([]);
  return done;
}

describe("plugin examples run on the memory engine", () => {
  it("covers every task plugin of the group", () => {
    expect(new Set(examples.map((e) => e.plugin)).size).toBeGreaterThanOrEqual(25);
  });

  for (const example of examples) {
    const reason = NEEDS_INTERNET[example.title];
    const name = `${example.plugin}: ${example.title}`;
    if (reason) {
      it.skip(`${name} (needs the internet: ${reason})`, () => undefined);
      continue;
    }
    it(name, async () => {
      // Some examples work on another namespace (DownloadFiles from `tutorial`): they show the plugin,
      // so boundaries are open here; test/security/namespace-boundaries.test.ts covers the default.
      const { engine } = newEngine({ namespaceAccess: openNamespaceAccess });
      const execution = await runExample(engine, flowOf(example.flow), example.title);
      const errors = execution.taskRunList
        .flatMap((run) => run.attempts.map((a) => a.error?.message && `${run.taskId}: ${a.error.message}`))
        .filter(Boolean);
      expect({ state: execution.state.current, errors }).toEqual(
        EXPECTED_END[example.title] ?? { state: "SUCCESS", errors: [] },
      );
    });
  }
});
