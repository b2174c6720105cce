/** Registry of built-in functions, and the names of Kestra functions that need the caller's I/O. */
import type { FunctionDef } from "../registry";
import { CALENDAR_FUNCTIONS } from "./calendar";
import { CORE_FUNCTIONS } from "./core";
import { RANDOM_FUNCTIONS } from "./random";

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map([
  ...CORE_FUNCTIONS,
  ...CALENDAR_FUNCTIONS,
  ...RANDOM_FUNCTIONS,
]);

/**
 * Kestra functions that read storage, secrets or the execution store. They exist only when the
 * caller passes them in `options.functions`; otherwise calling one is a clear error.
 */
export const UNAVAILABLE_FUNCTIONS: ReadonlySet<string> = new Set([
  "secret",
  "kv",
  "read",
  "errorLogs",
  "fileSize",
  "fileExists",
  "isFileEmpty",
  "fileEmpty",
  "fileURI",
  "encrypt",
  "decrypt",
  "credential",
  "http",
  "tasksWithState",
  // Runs a flow to its end: every driver gives it where inputs are rendered (worker/subflow-function.ts);
  // a caller that renders without the driver's functions (a display preview) has it not.
  "subflow",
  // Bound to a task run by the executor and the worker (engine/executor/iteration-functions.ts).
  "iterationOutput",
  "iterationOutputs",
  "outputFromIteration",
  "parentOutput",
  "appLink",
  "randomPort",
  "ksuid",
  "nanoId",
  "envs",
]);
