import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BundleOptions, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from "@temporalio/worker";

/**
 * Temporal's bundler runs webpack over the workflow code and everything it imports: seconds of CPU in
 * every process that starts a worker (each test file, each worker process, each `cadenza start`). The
 * bundle is kept on disk with the list of files webpack read to make it and their hashes, and reused
 * while every one of them is unchanged and no path it looked for in vain has appeared since: a content
 * check, as webpack's own cache does, so an edit or an `npm install` always gets a fresh bundle. When the
 * directory cannot be written (a read-only install) the bundle is only made in memory, as before.
 */
interface CacheEntry {
  /** Bumped when what goes into a bundle changes other than through the files (the options below). */
  format: number;
  /** Every file webpack read, with the sha256 of its content. */
  files: Record<string, string>;
  /**
   * Files webpack looked for and did not find (outside node_modules; a folder found where a file was looked
   * for is a miss too): one that appears may change what an import resolves to.
   */
  missing: string[];
  code: string;
}

const FORMAT = 1;

/** `.cache/temporal-workflows` at the repository root (git-ignored). */
export const defaultCacheDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  ".cache",
  "temporal-workflows",
);

async function sha256(file: string): Promise<string | undefined> {
  try {
    return createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
  } catch {
    return undefined;
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

async function isCurrent(entry: CacheEntry): Promise<boolean> {
  if (entry.format !== FORMAT || typeof entry.code !== "string") return false;
  if (entry.missing.some(isFile)) return false;
  const files = Object.entries(entry.files);
  if (files.length === 0) return false;
  const hashes = await Promise.all(files.map(([file]) => sha256(file)));
  return files.every(([, hash], i) => hashes[i] === hash);
}

/** Where `options.workflowsPath`'s bundle is kept in `cacheDir` (one entry per workflows file). */
function entryPath(cacheDir: string, options: BundleOptions): string {
  const key = createHash("sha256").update(options.workflowsPath).digest("hex").slice(0, 16);
  return path.join(cacheDir, `${path.basename(options.workflowsPath).replace(/\W/g, "_")}-${key}.json`);
}

/**
 * `bundleWorkflowCode(options)`, reused from `cacheDir` while its inputs are unchanged. The options must
 * be the same on every call for one workflows path (they are constants of the callers); a change to
 * them bumps FORMAT.
 */
export async function cachedWorkflowBundle(
  options: BundleOptions,
  cacheDir = defaultCacheDir,
): Promise<WorkflowBundleWithSourceMap> {
  const file = entryPath(cacheDir, options);
  const stored = await readFile(file, "utf8")
    .then((text) => JSON.parse(text) as CacheEntry)
    .catch(() => undefined);
  if (stored && (await isCurrent(stored))) return { code: stored.code, sourceMap: "" };

  let inputs: { files: string[]; missing: string[] } = { files: [], missing: [] };
  const hook = options.webpackConfigHook;
  const bundle = await bundleWorkflowCode({
    ...options,
    webpackConfigHook: (config) => {
      const hooked = hook ? hook(config) : config;
      hooked.plugins = [
        ...(hooked.plugins ?? []),
        {
          apply(compiler) {
            compiler.hooks.done.tap("cadenza-bundle-inputs", (stats) => {
              inputs = {
                files: [...stats.compilation.fileDependencies],
                missing: [...stats.compilation.missingDependencies].filter(
                  (p) => path.isAbsolute(p) && !p.split(path.sep).includes("node_modules"),
                ),
              };
            });
          },
        },
      ];
      return hooked;
    },
  });
  // The entry point webpack reads is generated in memory, and the folders it lists are resolution steps
  // (what appears in them is in `missing`): only the files on disk are hashed.
  const files = inputs.files.filter((f) => path.isAbsolute(f) && isFile(f));
  const hashes = await Promise.all(files.map(sha256));
  if (files.length > 0 && hashes.every(Boolean)) {
    const entry: CacheEntry = {
      format: FORMAT,
      files: Object.fromEntries(files.map((f, i) => [f, hashes[i] as string])),
      missing: inputs.missing,
      code: bundle.code,
    };
    // Written aside and renamed: a process reading it at the same time sees the old entry or the new one.
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await mkdir(cacheDir, { recursive: true })
      .then(() => writeFile(temporary, JSON.stringify(entry)))
      .then(() => rename(temporary, file))
      .catch(() => rm(temporary, { force: true }).catch(() => undefined));
  }
  return bundle;
}
