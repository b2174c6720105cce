/**
 * SECRET inputs are kept sealed in the execution (Kestra's `{ type: "io.kestra.datatype:aes_encrypted",
 * value }`) and opened only where a template reads them. The cipher comes from the driver (the server's
 * key): the engine never sees a key, and without a cipher (the memory engine) values stay as given.
 */
import type { Input } from "../flow/inputs-schema";

export const SEALED_TYPE = "io.kestra.datatype:aes_encrypted";

export interface InputCipher {
  seal(plain: string): string;
  /** Throws when the value was not sealed with this cipher's key. */
  open(sealed: string): string;
}

export interface SealedValue {
  type: typeof SEALED_TYPE;
  value: string;
}

export function isSealed(value: unknown): value is SealedValue {
  return (
    !!value &&
    typeof value === "object" &&
    (value as { type?: unknown }).type === SEALED_TYPE &&
    typeof (value as { value?: unknown }).value === "string" &&
    Object.keys(value).length === 2
  );
}

export function sealValue(cipher: InputCipher, plain: string): SealedValue {
  return { type: SEALED_TYPE, value: cipher.seal(plain) };
}

/** The plain value of a provided input: opened when it is sealed (a replay passes stored inputs back). */
export function openProvided(value: unknown, cipher: InputCipher | undefined, input: Input): unknown {
  if (!isSealed(value)) return value;
  if (!cipher) throw new Error(`input '${input.id}' is encrypted and this engine has no key to read it`);
  return cipher.open(value.value);
}

/** The inputs with every sealed value opened (for rendering); the same object when nothing is sealed. */
export function openInputs(
  inputs: Record<string, unknown>,
  cipher: InputCipher | undefined,
): Record<string, unknown> {
  if (!cipher) return inputs;
  return openTree(inputs, cipher) as Record<string, unknown>;
}

function openTree(value: unknown, cipher: InputCipher): unknown {
  if (isSealed(value)) return cipher.open(value.value);
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    out[key] = openTree(item, cipher);
    if (out[key] !== item) changed = true;
  }
  return changed ? out : value;
}

/** The plain values of an execution's sealed inputs: what must be masked in its logs and outputs. */
export function secretInputValues(
  inputs: Record<string, unknown>,
  cipher: InputCipher | undefined,
): string[] {
  const values: string[] = [];
  const visit = (value: unknown) => {
    if (isSealed(value)) {
      if (cipher) {
        try {
          values.push(cipher.open(value.value));
        } catch {
          // Unreadable with this key: it cannot be rendered either, so it cannot leak.
        }
      }
    } else if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const item of Object.values(value)) visit(item);
    }
  };
  visit(inputs);
  return values;
}
