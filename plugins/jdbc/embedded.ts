// What DuckDB and SQLite tasks share: they run inside the engine, on files, so each task run gets a
// private working directory (0700, removed afterwards) holding its input files, its output files and the
// database file. A database path in the URL names a file in that directory, never a path on the engine's
// machine: tenants share the engine, so one flow must not reach another's files (or the engine's own).
// A database is carried from task to task as Kestra does it, through the internal storage
// (`outputDbFile: true`, then `databaseUri`/`sqliteFile` in the next task).
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, normalize, sep } from "node:path";
import { z } from "zod";
import type { FileStorage, TaskRunContext } from "@/engine/plugin";
import { taskFileUri } from "../core/storage/files";
import { download, upload } from "../serdes/temp-files";

/** Where an embedded database task runs. */
export interface EmbeddedTarget {
  /** The private working directory (`{{ workingDir }}`). */
  workingDir: string;
  /** The database file inside it, or undefined for an in-memory database. */
  path?: string;
}

export interface EmbeddedRun {
  target: EmbeddedTarget;
  /** Variables the task's SQL is rendered with: `workingDir`, `outputFiles`. */
  variables: Record<string, unknown>;
  /** The outputs added once the statements ran: output files and the database file. */
  finish(): Promise<Record<string, unknown>>;
  dispose(): Promise<void>;
}

export const inputFilesShape = {
  inputFiles: z
    .union([z.record(z.string(), z.string()), z.string()])
    .optional()
    .describe(
      "Files written to the task's working directory before the SQL runs, by name: each value is a `kestra://` URI (copied) or the file's content. Read them in the working directory: `SELECT * FROM read_csv_auto('{{ workingDir }}/data.csv')`.",
    ),
  outputFiles: z
    .array(z.string().min(1))
    .optional()
    .describe(
      "Names of files the SQL writes: `{{ outputFiles.name }}` in `sql` is the file's path, and `outputs.<task>.outputFiles.name` its URI in the internal storage afterwards.",
    ),
};

const outputsShapeBase = {
  databaseUri: z
    .string()
    .optional()
    .describe("With `outputDbFile`: the database file in the internal storage."),
};

export const embeddedOutputs = {
  ...outputsShapeBase,
  outputFiles: z
    .record(z.string(), z.string())
    .optional()
    .describe("Each name of `outputFiles` and the URI of the file the SQL wrote."),
};

/** A file name inside the working directory: relative, no `..`. */
function inside(dir: string, name: string, property: string): string {
  const clean = normalize(name);
  if (!name || clean.startsWith("..") || clean.startsWith(sep) || clean.includes(`${sep}..${sep}`))
    throw new Error(`${property}: '${name}' must be a relative path inside the working directory`);
  return join(dir, clean);
}

function parseInputFiles(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error("inputFiles must be a map of file name to URI or content");
    }
    return parseInputFiles(parsed);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error("inputFiles must be a map of file name to URI or content");
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}

export interface EmbeddedOptions {
  /** The database file named by the URL (`jdbc:duckdb:/data/x.db` -> `x.db`), or undefined for memory. */
  fileName: string | undefined;
  /** A `kestra://` database file to start from (DuckDB's `databaseUri`, SQLite's `sqliteFile`). */
  from?: string | undefined;
  inputFiles?: unknown;
  outputFiles?: string[] | undefined;
  outputDbFile: boolean;
  /** The database file's name when none is in the URL but one is needed. */
  defaultName: string;
}

/** Opens a run: the working directory, input files, and the database file when one is wanted. */
export async function openEmbedded(
  ctx: TaskRunContext<unknown>,
  options: EmbeddedOptions,
): Promise<EmbeddedRun> {
  const storage: FileStorage | undefined = ctx.services.storage;
  const needStorage = () => {
    if (!storage) throw new Error("this task needs the internal storage, which this engine does not provide");
    return storage;
  };
  const workingDir = await mkdtemp(join(tmpdir(), "cadenza-jdbc-"));
  try {
    for (const [name, content] of Object.entries(parseInputFiles(options.inputFiles))) {
      const path = inside(workingDir, name, "inputFiles");
      await mkdir(join(path, ".."), { recursive: true, mode: 0o700 });
      if (content.startsWith("kestra://")) await download(needStorage(), content, path);
      else await import("node:fs/promises").then((fs) => fs.writeFile(path, content, { mode: 0o600 }));
    }
    const outputFiles: Record<string, string> = {};
    for (const name of options.outputFiles ?? []) outputFiles[name] = inside(workingDir, name, "outputFiles");
    const wantsFile = options.fileName !== undefined || options.from !== undefined || options.outputDbFile;
    const path = wantsFile ? join(workingDir, basename(options.fileName ?? options.defaultName)) : undefined;
    if (path && options.from) await download(needStorage(), options.from, path);
    return {
      target: { workingDir, ...(path ? { path } : {}) },
      variables: { workingDir, outputFiles, ...(path ? { dbFilePath: path } : {}) },
      async finish() {
        const out: Record<string, unknown> = {};
        const files: Record<string, string> = {};
        for (const [name, file] of Object.entries(outputFiles)) {
          const exists = await stat(file).then(
            (s) => s.isFile(),
            () => false,
          );
          if (!exists)
            throw new Error(
              `outputFiles: the SQL did not write '${name}' (write it to {{ outputFiles.${name} }})`,
            );
          files[name] = await upload(needStorage(), file, taskFileUri(ctx, name));
        }
        if (Object.keys(files).length) out.outputFiles = files;
        if (options.outputDbFile && path)
          out.databaseUri = await upload(needStorage(), path, taskFileUri(ctx, basename(path)));
        return out;
      },
      dispose: () => rm(workingDir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(workingDir, { recursive: true, force: true });
    throw error;
  }
}
