/** Public option and callback types (re-exported by index.ts). */

/**
 * A function supplied by the caller (secret, kv, read, errorLogs, fileSize, ...): the engine
 * itself does no I/O. It receives evaluated positional and named arguments and the render
 * context; it may return a Promise, which only the async render variants accept.
 */
export type ExprFunction = (
  args: unknown[],
  named: Record<string, unknown>,
  call: { context: Record<string, unknown> },
) => unknown | Promise<unknown>;

export interface RenderOptions {
  /** Extra or overriding functions: secret, kv, read, errorLogs, fileSize, fileExists, ... */
  functions?: Record<string, ExprFunction>;
  /**
   * Clock for now() and date defaults. Required, never defaulted: the engine is deterministic given its
   * caller's clock (a Temporal workflow replays with the same one); the caller passes the system clock.
   */
  now: () => Date;
  /** Randomness for randomInt(), uuid(), id(). Required, for the same reason as `now`. */
  random: () => number;
  /** Zone used by date filters when none is given. Default "UTC". */
  timezone?: string;
  /** Evaluation step budget; exceeding it throws "expression too complex". Default 1_000_000. */
  maxSteps?: number;
  /** Maximum characters of output (and of any string built while evaluating). Default 10_000_000. */
  maxOutputLength?: number;
  /** Re-render the result until it stops changing (Kestra renders once). Default false. */
  recursive?: boolean;
}

export interface ResolvedOptions {
  readonly functions: Record<string, ExprFunction> | undefined;
  readonly now: () => Date;
  readonly random: () => number;
  readonly timezone: string;
  readonly maxSteps: number;
  readonly maxOutputLength: number;
  readonly recursive: boolean;
}

export const DEFAULT_MAX_STEPS = 1_000_000;
export const DEFAULT_MAX_OUTPUT_LENGTH = 10_000_000;

export function resolveOptions(options: RenderOptions): ResolvedOptions {
  return {
    functions: options.functions,
    now: options.now,
    random: options.random,
    timezone: options.timezone ?? "UTC",
    maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
    maxOutputLength: options.maxOutputLength ?? DEFAULT_MAX_OUTPUT_LENGTH,
    recursive: options.recursive ?? false,
  };
}
