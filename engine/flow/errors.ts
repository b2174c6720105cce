/** A problem in a flow's source, located at the YAML node it concerns. Lines and columns are 1-based. */
export interface FlowError {
  /** Property path, e.g. `tasks[0].retry.interval`. Empty for the document itself. */
  path: string;
  line: number;
  column: number;
  message: string;
}

export type PathSegment = string | number;

/** `["tasks", 0, "retry"]` -> `tasks[0].retry`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Thrown when a flow is used that does not validate; carries every error. */
export class FlowValidationError extends Error {
  constructor(readonly errors: FlowError[]) {
    super(
      errors.length === 1
        ? `${errors[0]?.path ? `${errors[0].path}: ` : ""}${errors[0]?.message}`
        : `${errors.length} errors: ${errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("; ")}`,
    );
    this.name = "FlowValidationError";
  }
}
