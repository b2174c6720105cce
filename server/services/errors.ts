// The failures the API reports, and the one function that maps any error to what a client sees
// (`describeError`): REST answers with its status and `{ message, details? }`, tRPC with the matching code.
// Nothing else decides a status, and no stack trace ever leaves the server.
import { ChecksBlockedError, ExecutionOperationError, InputValidationError } from "@/engine/executor";
import { FlowValidationError } from "@/engine/flow";
import {
  ExecutionNotFoundError,
  FlowNotFoundError,
  isDatabaseUnavailable,
  StoredFlowError,
} from "@/worker/embedded";

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;

export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** No credentials, or credentials that are invalid, expired or revoked. */
export class UnauthenticatedError extends ApiError {
  constructor(message = "Sign in, or send a valid API token as `Authorization: Bearer cdz_...`.") {
    super(401, message);
  }
}

/** Known principal, not allowed. */
export class ForbiddenError extends ApiError {
  constructor(message: string) {
    super(403, message);
  }
}

/** Does not exist — or exists in a tenant the caller cannot see, which must look the same. */
export class NotFoundError extends ApiError {
  constructor(message: string) {
    super(404, message);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(409, message, details);
  }
}

/** Well-formed but invalid: a flow that does not validate, inputs that do not fit the flow. */
export class UnprocessableError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(422, message, details);
  }
}

/** Malformed request: bad JSON, a missing parameter, a wrong content type. */
export class BadRequestError extends ApiError {
  constructor(message: string, details?: unknown) {
    super(400, message, details);
  }
}

/**
 * A request body beyond one of the server's size limits (CADENZA_MAX_BODY_BYTES, CADENZA_MAX_UPLOAD_BYTES,
 * CADENZA_MAX_IMPORT_BYTES); `details` says which limit, in bytes, so a client can split or shrink.
 */
export class PayloadTooLargeError extends ApiError {
  constructor(message: string, details?: { limitBytes: number; setting: string }) {
    super(413, message, details);
  }
}

export class TooManyRequestsError extends ApiError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message);
  }
}

export interface ErrorDescription {
  status: ErrorStatus;
  message: string;
  details?: unknown;
  /** True when the error is a bug (500): log it with its stack, show nothing of it. */
  unexpected?: boolean;
  retryAfterSeconds?: number;
}

/** Zod-like issues (duck-typed so that errors from another copy of zod map the same). */
function zodIssues(error: unknown): { path: PropertyKey[]; message: string }[] | undefined {
  if (
    error instanceof Error &&
    error.name === "ZodError" &&
    Array.isArray((error as { issues?: unknown }).issues)
  )
    return (error as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
  return undefined;
}

const named = (error: unknown, name: string) => error instanceof Error && error.name === name;

/** What a 503 asks a client to wait before retrying. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** What a client is told about `error`. */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof TooManyRequestsError)
    return { status: 429, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  if (error instanceof ApiError)
    return {
      status: error.status,
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
  const issues = zodIssues(error);
  if (issues) {
    const details = issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message,
    }));
    const first = details[0];
    return {
      status: 400,
      message: first
        ? `Invalid request: ${first.path ? `${first.path}: ` : ""}${first.message}`
        : "Invalid request",
      details,
    };
  }
  if (error instanceof InputValidationError || named(error, "InputValidationError")) {
    const errors = (error as InputValidationError).errors;
    return { status: 422, message: (error as Error).message, details: errors };
  }
  if (error instanceof ChecksBlockedError || named(error, "ChecksBlockedError")) {
    const failed = (error as ChecksBlockedError).failed;
    return {
      status: 422,
      message: (error as Error).message,
      details: failed.map(({ message, style, behavior }) => ({ message, style, behavior })),
    };
  }
  if (error instanceof FlowValidationError || named(error, "FlowValidationError"))
    return { status: 422, message: (error as Error).message, details: (error as FlowValidationError).errors };
  if (error instanceof FlowNotFoundError || named(error, "FlowNotFoundError"))
    return { status: 404, message: capitalise((error as Error).message) };
  if (error instanceof ExecutionNotFoundError || named(error, "ExecutionNotFoundError"))
    return { status: 404, message: capitalise((error as Error).message) };
  if (error instanceof ExecutionOperationError || named(error, "ExecutionOperationError")) {
    const code = (error as ExecutionOperationError).code;
    const status = code === "NOT_FOUND" ? 404 : code === "INVALID_INPUT" ? 422 : 409;
    return { status, message: capitalise((error as Error).message) };
  }
  if (error instanceof StoredFlowError)
    return { status: 409, message: `The stored flow no longer validates: ${error.message}` };
  // The database down or restarting is not a bug: 503 and a hint to retry; nothing was written (every
  // write is one transaction), so the same call can simply be made again.
  if (isDatabaseUnavailable(error))
    return {
      status: 503,
      message: "The database is unavailable right now: try again in a few seconds.",
      retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
    };
  // A request value the operation's schema let through but a column cannot hold (an integer past int4, a
  // date out of range, text too long): the caller's input, so 400 saying what kind of value, not a 500.
  if (isValueTheDatabaseRefused(error))
    return {
      status: 400,
      message:
        "A value in the request is out of range for what is stored (a number too large, a date out of range or a text too long).",
    };
  return { status: 500, message: "Internal error: the server logged the details.", unexpected: true };
}

/**
 * PostgreSQL's data exceptions for a value of the wrong size or form (22001 too long, 22003 out of range,
 * 22007/22008 dates, 22P02 bad text for the type), from node-postgres (`code`) or Prisma's driver adapter
 * (P2000 too long, P2020 out of range, and a raw query's P2010, with the original code in
 * `meta.driverAdapterError.cause`).
 */
const DATA_EXCEPTIONS = new Set(["22001", "22003", "22007", "22008", "22P02", "P2000", "P2020"]);

function isValueTheDatabaseRefused(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== "object") return false;
  const e = error as {
    code?: unknown;
    originalCode?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (typeof e.code === "string" && DATA_EXCEPTIONS.has(e.code)) return true;
  if (typeof e.originalCode === "string" && DATA_EXCEPTIONS.has(e.originalCode)) return true;
  return (
    isValueTheDatabaseRefused(e.cause, depth + 1) ||
    isValueTheDatabaseRefused(e.meta?.driverAdapterError, depth + 1)
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
