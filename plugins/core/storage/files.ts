import { z } from "zod";
import {
  executionStoragePrefix,
  type FileStorage,
  type TaskRunContext,
  taskRunStoragePrefix,
} from "@/engine/plugin";

/** Kestra's pre-0.17 name of a storage task: `io.kestra.core.tasks.storages.<Name>`. */
export const old = (name: string): string => `io.kestra.core.tasks.storages.${name}`;

/** A property holding an internal-storage URI (`kestra:///...`), usually an expression. */
export const storageUri = (description: string) =>
  z
    .string()
    .min(1)
    .describe(`${description} A \`kestra://\` internal storage URI, e.g. \`{{ outputs.task.uri }}\`.`);

/** The internal storage of this worker, or a clear failure when the driver provides none. */
export function requireStorage(ctx: TaskRunContext<unknown>, type: string): FileStorage {
  const storage = ctx.services.storage;
  if (!storage) throw new Error(`${type} needs the internal storage, which this engine does not provide`);
  return storage;
}

/** Refuses anything that is not an internal-storage URI (no `file://`, no HTTP). */
export function checkUri(uri: string, property = "uri"): string {
  const trimmed = uri.trim();
  if (!trimmed.startsWith("kestra://")) {
    throw new Error(`${property} must be a kestra:// internal storage URI, got '${uri}'`);
  }
  return trimmed;
}

/** Reads a file, with a message that names the property when it does not exist. */
export async function readFile(storage: FileStorage, uri: string, property = "from"): Promise<Uint8Array> {
  const checked = checkUri(uri, property);
  if (!(await storage.exists(checked))) throw new Error(`file not found in internal storage: ${checked}`);
  return storage.get(checked);
}

const decoder = new TextDecoder("utf-8");

export async function readText(storage: FileStorage, uri: string, property = "from"): Promise<string> {
  return decoder.decode(await readFile(storage, uri, property));
}

/**
 * Lines of a text the way Java's BufferedReader.readLine reads them: split on `\n`, `\r\n` or `\r`, and a
 * final line break does not make an extra empty line.
 */
export function lines(text: string): string[] {
  if (text === "") return [];
  const parts = text.split(/\r\n|\r|\n/);
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** The extension of the last path segment of a URI, dot included (`.csv`), or `fallback`. */
export function extensionOf(uri: string, fallback = ".tmp"): string {
  const path = uri.replace(/[?#].*$/, "");
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot) : fallback;
}

const safe = (name: string) => encodeURIComponent(name).replace(/%20/g, "+");

/** The URI of a file this task run writes, in Kestra's layout (engine/plugin/storage-layout.ts). */
export function taskFileUri(ctx: TaskRunContext<unknown>, fileName: string): string {
  return `${taskRunStoragePrefix(ctx.execution, ctx.task.id, ctx.taskRun.id)}${safe(fileName)}`;
}

/** The prefix under which every file of the current execution lives (inputs, task files, trigger files). */
export function executionPrefix(ctx: TaskRunContext<unknown>): string {
  const { namespace, flowId, id } = ctx.execution;
  return executionStoragePrefix(namespace, flowId, id);
}

/** `10MB`, `512KB`, `1GB`, `1TB` (1024-based, case-insensitive) or a plain number of bytes, as Micronaut reads sizes. */
export function parseSize(text: string | number): number {
  if (typeof text === "number") {
    if (!Number.isInteger(text) || text <= 0)
      throw new Error(`bytes must be a positive whole number, got ${text}`);
    return text;
  }
  const match = /^\s*(\d+)\s*(B|KB|MB|GB|TB)?\s*$/i.exec(text);
  if (!match)
    throw new Error(`invalid size '${text}' (use a number of bytes or a size such as 512KB, 10MB, 1GB)`);
  const unit = (match[2] ?? "B").toUpperCase() as "B" | "KB" | "MB" | "GB" | "TB";
  const size = Number(match[1]) * { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }[unit];
  if (size <= 0) throw new Error(`bytes must be positive, got '${text}'`);
  return size;
}
