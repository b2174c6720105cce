/**
 * A failure the user can act on: its message is one line that says what is wrong and what to do,
 * printed as is by the CLI (no stack trace). Anything else that reaches the top is a bug.
 */
export class CadenzaError extends Error {
  override name = "CadenzaError";
  /** Process exit code when this ends a command. */
  readonly exitCode: number;

  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, { cause: options?.cause });
    this.exitCode = options?.exitCode ?? 1;
  }
}

/** The `code` of a Node system error (`EACCES`, `ECONNREFUSED`...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return errorMessage(error.errors[0]);
  if (error instanceof Error) return error.message;
  return String(error);
}
