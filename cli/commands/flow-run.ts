import { builtInRegistry } from "@/plugins";
import type { Command } from "../command";
import { formatError, loadFile, yamlFiles } from "../flows/load-files";
import { parseCliDuration } from "../flows/parse-duration";
import { runFlowInMemory } from "../flows/run-flow";

export const flowRun: Command = {
  path: ["flow", "run"],
  summary:
    "Run a flow to its end and print the final execution as JSON (exit 0 ended, 2 invalid, 3 timeout).",
  usage:
    "FILE [--input key=value]... [--flows DIR_OR_FILE]... [--engine memory|embedded|temporal] [--timeout 60s]",
  options: {
    input: { type: "string", multiple: true, short: "i" },
    flows: { type: "string", multiple: true },
    engine: { type: "string", default: "embedded" },
    timeout: { type: "string" },
    quiet: { type: "boolean", short: "q", default: false },
  },
  optionHelp: {
    input: "an input value; key=@path passes a file (repeatable)",
    flows: "other flows to load, for subflows and Flow triggers (repeatable)",
    engine:
      "embedded (default: PostgreSQL, DATABASE_URL's or an embedded one), temporal (workflows on TEMPORAL_ADDRESS, else a local dev server) or memory",
    timeout: "give up after this long (60s, 5m, PT1H): exit 3",
    quiet: "do not print logs on stderr",
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }, io) {
    const registry = builtInRegistry();
    const engine = String(values.engine);
    if (engine !== "memory" && engine !== "embedded" && engine !== "temporal") {
      io.stderr(`cadenza flow run: unknown engine '${engine}' (memory, embedded or temporal)\n`);
      return 2;
    }
    let timeoutMs: number | undefined;
    if (values.timeout !== undefined) {
      timeoutMs = parseCliDuration(String(values.timeout));
      if (timeoutMs === undefined || timeoutMs <= 0) {
        io.stderr(
          `cadenza flow run: --timeout expects a duration such as 60s, 5m or PT1H, got '${values.timeout}'\n`,
        );
        return 2;
      }
    }
    const file = positionals[0] as string;
    const main = loadFile(file, registry);
    let invalid = main.errors.length > 0;
    for (const error of main.errors) io.stderr(`${formatError(file, error)}\n`);
    if (!invalid && main.flows.length !== 1) {
      io.stderr(`${file}: expected exactly one flow, found ${main.flows.length}\n`);
      invalid = true;
    }
    const others = [];
    const sources = new Map(main.sources);
    for (const path of (values.flows as string[] | undefined) ?? []) {
      let files: string[];
      try {
        files = yamlFiles(path);
      } catch {
        io.stderr(`cadenza flow run: --flows ${path}: no such file or directory\n`);
        return 2;
      }
      for (const other of files) {
        const result = loadFile(other, registry);
        for (const error of result.errors) io.stderr(`${formatError(other, error)}\n`);
        invalid ||= result.errors.length > 0;
        others.push(...result.flows);
        for (const [flow, source] of result.sources) sources.set(flow, source);
      }
    }
    if (invalid) return 2;
    const { httpPolicyFromEnvironment } = await import("@/server/env");
    const options = {
      httpPolicy: httpPolicyFromEnvironment(),
      flow: main.flows[0] as NonNullable<(typeof main.flows)[0]>,
      flows: others,
      inputs: (values.input as string[] | undefined) ?? [],
      timeoutMs,
      registry,
      quiet: Boolean(values.quiet),
    };
    if (engine === "memory") return (await runFlowInMemory(options, io)).code;
    // The environment as it is now (not as it was when the CLI loaded), so that callers in this process can
    // point a run at another database.
    const { parseEnv } = await import("@/server/env");
    const env = parseEnv();
    const { runFlowEmbedded } = await import("../flows/run-embedded");
    const run = { ...options, sources, databaseUrl: env.DATABASE_URL, dataDir: env.CADENZA_DATA_DIR };
    if (engine === "embedded") return (await runFlowEmbedded(run, io)).code;
    // Temporal: TEMPORAL_ADDRESS's server (with its TLS settings), else the installed dev server, stopped after.
    const { temporalConnectionFrom } = await import("@/server/engine");
    const { startDevTemporal } = await import("@/server/runtime/temporal-dev");
    const local = env.TEMPORAL_ADDRESS
      ? undefined
      : await startDevTemporal({
          dataDir: env.CADENZA_DATA_DIR,
          ...(options.quiet ? {} : { onProgress: (message: string) => io.stderr(`${message}\n`) }),
        });
    try {
      const temporal = temporalConnectionFrom(env, local?.address ?? env.TEMPORAL_ADDRESS);
      return (await runFlowEmbedded({ ...run, mode: { kind: "temporal", temporal } }, io)).code;
    } finally {
      await local?.stop();
    }
  },
};
