import path from "node:path";
import { z } from "zod";
import { definePlugin, dyn } from "@/engine/plugin";
import { CLI_RAW_PROPERTIES, cliOutputs, cliShape, runCli } from "./shared";

const TYPE = "dbt.cli.DbtCLI";

/** One result of dbt's target/run_results.json. */
interface RunResult {
  unique_id?: string;
  status?: string;
  execution_time?: number;
  message?: string | null;
}

export const dbtCliPlugin = definePlugin({
  type: TYPE,
  kind: "runnable",
  title: "Run dbt commands.",
  description: [
    "Runs `commands` (`dbt deps`, `dbt build`...) with the `dbt` program of the worker, through the script",
    "runner (a fresh working directory, `inputFiles`, `namespaceFiles`, `outputFiles`, `env`). `profiles` is",
    "written as `profiles.yml` and given to dbt with `DBT_PROFILES_DIR`; `projectDir` is given as",
    "`DBT_PROJECT_DIR`. With `parseRunResults`, `target/run_results.json` is read after the run: one metric",
    "per status and a log line per node. dbt must be installed on the worker (or by `beforeCommands`):",
    "`pip install dbt-core dbt-<adapter>`; when it is missing the task fails saying so.",
  ].join("\n"),
  rawProperties: CLI_RAW_PROPERTIES,
  schema: z.object({
    ...cliShape("ghcr.io/kestra-io/dbt"),
    profiles: z
      .string()
      .optional()
      .describe(
        "The content of `profiles.yml` (the connection to the warehouse); keep passwords in secrets.",
      ),
    projectDir: z
      .string()
      .optional()
      .describe(
        "The dbt project's directory, relative to the working directory (default: the working directory).",
      ),
    parseRunResults: dyn(z.boolean())
      .default(true)
      .describe("Read `target/run_results.json` after the run into metrics and logs."),
    loadManifest: dyn(z.boolean()).default(false).describe("Accepted for Kestra compatibility; not used."),
  }),
  outputs: cliOutputs,
  examples: [
    {
      title: "Build a dbt project of the namespace files on DuckDB",
      flow: `id: dbt_duckdb
namespace: company.team

tasks:
  - id: dbt
    type: io.kestra.plugin.dbt.cli.DbtCLI
    namespaceFiles:
      enabled: true
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    beforeCommands:
      - pip install dbt-duckdb
    commands:
      - dbt deps
      - dbt build
    profiles: |
      my_dbt_project:
        outputs:
          dev:
            type: duckdb
            path: dbt.duckdb
            threads: 4
        target: dev
`,
    },
  ],
  async run(ctx) {
    const p = ctx.properties;
    const projectDir = p.projectDir ? path.posix.normalize(p.projectDir).replace(/\/+$/, "") : ".";
    if (path.posix.isAbsolute(projectDir) || projectDir.startsWith(".."))
      throw new Error(`projectDir '${p.projectDir}' must be a path inside the working directory`);
    const runResults = path.posix.join(projectDir, "target/run_results.json");
    const withResults = p.parseRunResults
      ? { ...ctx, properties: { ...p, outputFiles: [...(p.outputFiles ?? []), runResults] } }
      : ctx;
    const outcome = await runCli(withResults as typeof ctx, TYPE, {
      binary: "dbt",
      install:
        "install dbt and its adapter on the worker (pip install dbt-core dbt-duckdb, or the adapter of your warehouse), or in beforeCommands",
      env: { DBT_SEND_ANONYMOUS_USAGE_STATS: "false" },
      async prepare(workspace) {
        const env: Record<string, string> = {};
        if (p.projectDir) env.DBT_PROJECT_DIR = path.posix.join(workspace.workingDir, projectDir);
        if (p.profiles !== undefined) {
          await workspace.writeFile(".profile/profiles.yml", p.profiles);
          env.DBT_PROFILES_DIR = path.posix.join(workspace.workingDir, ".profile");
        }
        return { env };
      },
    });
    const files = (outcome.outputs?.outputFiles ?? {}) as Record<string, string>;
    const uri = files[runResults];
    if (p.parseRunResults && uri && ctx.services.storage) {
      let results: RunResult[] = [];
      try {
        results =
          (
            JSON.parse(new TextDecoder().decode(await ctx.services.storage.get(uri))) as {
              results?: RunResult[];
            }
          ).results ?? [];
      } catch {
        ctx.logger.warn(`could not read ${runResults}`);
      }
      const counts = new Map<string, number>();
      for (const result of results) {
        const status = result.status ?? "unknown";
        counts.set(status, (counts.get(status) ?? 0) + 1);
        ctx.logger.info(
          `dbt ${result.unique_id ?? "node"}: ${status}${result.execution_time !== undefined ? ` in ${result.execution_time.toFixed(2)}s` : ""}${result.message ? ` (${result.message})` : ""}`,
        );
      }
      for (const [status, value] of counts) ctx.metric({ name: `dbt.${status}`, type: "counter", value });
      // The run results are an input of the parse, not an output the flow asked for.
      if (!p.outputFiles?.includes(runResults) && outcome.outputs) {
        const { [runResults]: _parsed, ...rest } = files;
        outcome.outputs = {
          ...outcome.outputs,
          ...(Object.keys(rest).length ? { outputFiles: rest } : { outputFiles: undefined }),
        };
        if (!Object.keys(rest).length) delete outcome.outputs.outputFiles;
      }
    }
    return outcome;
  },
});
