import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Flow } from "@/engine/flow";
import type { FileStorage } from "@/engine/plugin";
import { inputFileUri } from "@/worker/storage/uris";
import type { CliIo } from "../command";

/**
 * The values of a run's inputs: `--input k=v` values as given, `--input k=@path` files read and put in the
 * internal storage (their values become kestra:// URIs). Undefined, with the reason on stderr, when a file
 * cannot be read.
 */
export async function resolveFileInputs(
  values: Record<string, unknown>,
  files: Record<string, string>,
  target: { flow: Flow; executionId: string; storage: FileStorage },
  io: CliIo,
): Promise<Record<string, unknown> | undefined> {
  const { flow, executionId, storage } = target;
  const inputs: Record<string, unknown> = { ...values };
  for (const [key, path] of Object.entries(files)) {
    let content: Buffer;
    try {
      content = await readFile(resolve(path));
    } catch (error) {
      io.stderr(
        `cadenza flow run: input '${key}': cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})\n`,
      );
      return undefined;
    }
    inputs[key] = await storage.put(
      inputFileUri(flow.namespace, flow.id, executionId, key, basename(path)),
      content,
    );
  }
  return inputs;
}
