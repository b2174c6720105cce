import type { z } from "zod";
import { closest } from "../util/closest";
import type { FlowError, PathSegment } from "./errors";
import type { FlowSource } from "./source";

type Issue = z.core.$ZodIssue & { input?: unknown };

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  array: "a list",
  object: "a map",
  record: "a map",
};

/**
 * Turns zod issues into FlowErrors located in the YAML. `base` is where the validated value sits in the
 * document; `knownKeys` gives the allowed property names at a path, for "did you mean" suggestions, and
 * `explain` why a property is unknown there when there is more to say (a Kestra 1.x/2.0 mix-up).
 */
export function issuesToErrors(
  source: FlowSource,
  base: readonly PathSegment[],
  issues: readonly Issue[],
  knownKeys?: (path: readonly PathSegment[]) => string[] | undefined,
  explain?: (path: readonly PathSegment[], key: string) => string | undefined,
): FlowError[] {
  const errors: FlowError[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    switch (issue.code) {
      case "unrecognized_keys": {
        for (const key of issue.keys) {
          const why = explain?.(issue.path as PathSegment[], key);
          if (why) {
            errors.push(source.error([...path, key], `unknown property '${key}': ${why}`, { key: true }));
            continue;
          }
          const suggestions = closest(key, knownKeys?.(issue.path as PathSegment[]) ?? [], 1);
          const hint = suggestions.length ? ` (did you mean '${suggestions[0]}'?)` : "";
          errors.push(source.error([...path, key], `unknown property '${key}'${hint}`, { key: true }));
        }
        break;
      }
      case "invalid_type": {
        const last = path[path.length - 1];
        if (issue.input === undefined && !source.has(path)) {
          errors.push(source.error(path.slice(0, -1), `missing required property '${String(last)}'`));
          Object.assign(errors[errors.length - 1] as FlowError, { path: source.error(path, "").path });
        } else {
          const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
          errors.push(source.error(path, `expected ${expected}, got ${describeValue(issue.input)}`));
        }
        break;
      }
      case "invalid_value": {
        const values = issue.values.map((v) => String(v));
        const suggestion = typeof issue.input === "string" ? closest(issue.input, values, 1) : [];
        const hint = suggestion.length ? ` (did you mean '${suggestion[0]}'?)` : "";
        errors.push(
          source.error(path, `${describeValue(issue.input)} is not one of ${values.join(", ")}${hint}`),
        );
        break;
      }
      case "invalid_union": {
        if (issue.input === undefined && !source.has(path)) {
          errors.push({
            ...source.error(
              path.slice(0, -1),
              `missing required property '${String(path[path.length - 1])}'`,
            ),
            path: source.error(path, "").path,
          });
          break;
        }
        const note = (issue as { note?: string }).note;
        const options = (issue as { options?: unknown[] }).options;
        if (note?.includes("discriminator") && options) {
          const given = path.length ? source.document.getIn(path as PathSegment[]) : undefined;
          const suggestion = typeof given === "string" ? closest(given, options.map(String), 1) : [];
          const hint = suggestion.length ? `did you mean '${suggestion[0]}'? Expected` : "expected";
          errors.push(
            source.error(
              path,
              `${given === undefined ? "missing type" : `unknown type ${describeValue(given)}`}; ${hint} one of ${options.join(", ")}`,
            ),
          );
        } else {
          // Report the branch that got furthest: among branches whose own type matched (no type error at
          // the union's level), the one with the fewest issues.
          const branches = issue.errors.filter((b) => b.length > 0);
          const matchedType = branches.filter(
            (b) => !b.some((i) => i.code === "invalid_type" && i.path.length === 0),
          );
          const best = (matchedType.length ? matchedType : branches).sort((a, b) => a.length - b.length)[0];
          if (matchedType.length === 0 && branches.length > 1) {
            const expected = [
              ...new Set(
                branches.flatMap((b) =>
                  b
                    .filter((i) => i.code === "invalid_type")
                    .map(
                      (i) =>
                        TYPE_NAMES[(i as { expected: string }).expected] ??
                        (i as { expected: string }).expected,
                    ),
                ),
              ),
            ];
            errors.push(
              source.error(path, `expected ${orList(expected)}, got ${describeValue(issue.input)}`),
            );
          } else if (best) {
            const relative = issue.path as PathSegment[];
            errors.push(
              ...issuesToErrors(
                source,
                path,
                best as Issue[],
                knownKeys && ((p) => knownKeys([...relative, ...p])),
                explain && ((p, key) => explain([...relative, ...p], key)),
              ),
            );
          } else {
            errors.push(source.error(path, `unexpected value ${describeValue(issue.input)}`));
          }
        }
        break;
      }
      case "too_small":
      case "too_big": {
        errors.push(source.error(path, sizeMessage(issue)));
        break;
      }
      default:
        errors.push(source.error(path, issue.message));
    }
  }
  return errors;
}

/** `a, b or c`. */
function orList(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === "too_small";
  const bound = small
    ? (issue as z.core.$ZodIssueTooSmall).minimum
    : (issue as z.core.$ZodIssueTooBig).maximum;
  const inclusive = issue.inclusive !== false;
  const relation = small ? (inclusive ? "at least" : "more than") : inclusive ? "at most" : "less than";
  if (issue.message && !issue.message.startsWith("Too ")) return issue.message;
  switch (issue.origin) {
    case "array":
      return `must have ${relation} ${bound} item${Number(bound) === 1 ? "" : "s"}`;
    case "string":
      return `must be ${relation} ${bound} character${Number(bound) === 1 ? "" : "s"} long`;
    default:
      return `must be ${relation} ${bound}`;
  }
}
