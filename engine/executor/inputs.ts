import { isTruthy } from "../expr";
import { coerceInputValue } from "../flow/input-values";
import type { Input } from "../flow/inputs-schema";
import { isExpression } from "../plugin/schema";
import { type InputCipher, openProvided, sealValue } from "./secret-inputs";

export interface InputError {
  input: string;
  message: string;
}

export type InputRenderer = (template: unknown, inputsSoFar: Record<string, unknown>) => Promise<unknown>;

/** `{ "a.b": 1, c: 2 }` -> `{ a: { b: 1 }, c: 2 }`: dotted input ids read as nested maps. */
export function nestInputs(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(flat)) {
    const parts = id.split(".");
    let current = out;
    parts.slice(0, -1).forEach((part) => {
      const next = current[part];
      current = (
        next && typeof next === "object" && !Array.isArray(next) ? next : (current[part] = {})
      ) as Record<string, unknown>;
    });
    current[parts[parts.length - 1] as string] = value;
  }
  return out;
}

function lookup(provided: Record<string, unknown>, id: string): unknown {
  if (Object.hasOwn(provided, id)) return provided[id];
  let current: unknown = provided;
  for (const part of id.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Inputs ordered so that each comes after those its dependsOn names (declaration order otherwise). */
function ordered(inputs: readonly Input[]): Input[] {
  const byId = new Map(inputs.map((i) => [i.id, i]));
  const done = new Set<string>();
  const out: Input[] = [];
  const visit = (input: Input, depth: number) => {
    if (done.has(input.id) || depth > inputs.length) return;
    for (const dep of input.dependsOn?.inputs ?? []) {
      const other = byId.get(dep);
      if (other) visit(other, depth + 1);
    }
    if (!done.has(input.id)) {
      done.add(input.id);
      out.push(input);
    }
  };
  for (const input of inputs) visit(input, 0);
  return out;
}

/**
 * Resolves the values of declared inputs from what was provided: defaults (rendered when they are
 * expressions), dependsOn conditions, type coercion and validation. Every problem is reported, naming the
 * input; nothing is half-applied: callers create no execution when `errors` is not empty.
 */
export async function resolveInputValues(
  inputs: readonly Input[],
  provided: Record<string, unknown>,
  render: InputRenderer,
  cipher?: InputCipher,
): Promise<{ values: Record<string, unknown>; errors: InputError[]; states: InputState[] }> {
  // `flat` holds plain values (what later defaults and conditions see); `stored` the same with SECRET
  // inputs sealed when there is a cipher.
  const flat: Record<string, unknown> = {};
  const stored: Record<string, unknown> = {};
  const errors: InputError[] = [];
  const hidden = new Set<string>();
  const defaulted = new Set<string>();
  for (const input of ordered(inputs)) {
    try {
      if (input.dependsOn?.condition) {
        const shown = await render(input.dependsOn.condition, nestInputs(flat));
        if (!isTruthy(shown)) {
          hidden.add(input.id);
          continue;
        }
      }
      let raw = openProvided(lookup(provided, input.id), cipher, input);
      const empty = raw === undefined || raw === null || (raw === "" && input.type !== "STRING");
      if (empty) {
        if (input.defaults !== undefined && input.defaults !== null) {
          defaulted.add(input.id);
          raw =
            isExpression(input.defaults) || typeof input.defaults === "object"
              ? await render(input.defaults, nestInputs(flat))
              : input.defaults;
        } else if (input.required) {
          errors.push({ input: input.id, message: "missing required input" });
          continue;
        } else {
          flat[input.id] = null;
          stored[input.id] = null;
          continue;
        }
      }
      let options: string[] | undefined;
      if ((input.type === "SELECT" || input.type === "MULTISELECT") && input.expression) {
        const list = await render(input.expression, nestInputs(flat));
        options = Array.isArray(list) ? list.map(String) : undefined;
      }
      const result = coerceInputValue(input, raw, options);
      if (result.ok) {
        flat[input.id] = result.value;
        stored[input.id] =
          input.type === "SECRET" && cipher && typeof result.value === "string"
            ? sealValue(cipher, result.value)
            : result.value;
      } else errors.push({ input: input.id, message: result.message });
    } catch (error) {
      errors.push({ input: input.id, message: (error as Error).message });
    }
  }
  // Each declared input as a form shows it (Kestra's validate endpoint): shown or not, its value, its errors.
  const states = inputs.map((input) => ({
    id: input.id,
    enabled: !hidden.has(input.id),
    value: hidden.has(input.id) || input.type === "SECRET" ? null : (flat[input.id] ?? null),
    isDefault: defaulted.has(input.id),
    errors: errors.filter((e) => e.input === input.id).map((e) => e.message),
  }));
  return { values: nestInputs(stored), errors, states };
}

/** One declared input after resolution: whether its dependsOn condition shows it, its value, its errors. */
export interface InputState {
  id: string;
  enabled: boolean;
  /** The typed value (null when hidden, empty, or a SECRET: secrets are never sent back). */
  value: unknown;
  /** True when the value is the input's `defaults`. */
  isDefault: boolean;
  errors: string[];
}
