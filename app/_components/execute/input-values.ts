// What the launch form holds for each input, how it starts (prefill, else a literal default) and how it is
// sent (multipart: strings, JSON lists, files). Pure functions: the dialog and its tests share them.

/** An input as the flow declares it (the engine's Input, as the validate endpoint returns it). */
export interface DeclaredInput {
  id: string;
  type: string;
  description?: string;
  displayName?: string;
  required?: boolean;
  defaults?: unknown;
  prefill?: unknown;
  /** SELECT/MULTISELECT/ENUM choices: strings, or `{ label, value }`. */
  values?: (string | { label: string; value: string })[];
  options?: (string | { label: string; value: string })[];
  itemType?: string;
  allowCustomValue?: boolean;
  isRadio?: boolean;
  min?: number | string;
  max?: number | string;
  after?: string;
  before?: string;
  validator?: string;
  allowedFileExtensions?: string[];
  dependsOn?: { inputs?: string[]; condition?: string };
}

/** A field's value: text, a list (MULTISELECT, ARRAY), a file, or nothing yet. */
export type FieldValue = string | string[] | File | undefined;

export interface Choice {
  label: string;
  value: string;
}

export function choicesOf(input: DeclaredInput): Choice[] {
  return (input.values ?? input.options ?? []).map((choice) =>
    typeof choice === "object" && choice !== null
      ? { label: String(choice.label ?? choice.value), value: String(choice.value) }
      : { label: String(choice), value: String(choice) },
  );
}

const isExpression = (value: unknown) => typeof value === "string" && value.includes("{{");

/** The value a field starts with: its prefill, else its default when that is a literal (not an expression). */
export function initialValue(input: DeclaredInput): FieldValue {
  const start = input.prefill ?? (isExpression(input.defaults) ? undefined : input.defaults);
  if (start === undefined || start === null) return undefined;
  switch (input.type) {
    case "MULTISELECT":
    case "ARRAY":
      return Array.isArray(start)
        ? start.map((item) => (typeof item === "string" ? item : JSON.stringify(item)))
        : [String(start)];
    case "JSON":
      return typeof start === "string" ? start : JSON.stringify(start, null, 2);
    case "YAML":
      return typeof start === "string" ? start : JSON.stringify(start, null, 2);
    case "FILE":
      return undefined;
    default:
      return typeof start === "string" ? start : JSON.stringify(start);
  }
}

/** The multipart body of a launch: empty fields are left out (the server applies defaults or says required). */
export function toFormData(
  inputs: DeclaredInput[],
  values: Record<string, FieldValue>,
  shown: Set<string>,
): FormData {
  const form = new FormData();
  for (const input of inputs) {
    if (!shown.has(input.id)) continue;
    const value = values[input.id];
    if (value === undefined) continue;
    if (value instanceof File) form.set(input.id, value, value.name);
    else if (Array.isArray(value)) {
      const items = input.type === "ARRAY" ? value.filter((item) => item.trim() !== "") : value;
      if (input.type === "ARRAY" && items.length === 0) continue;
      form.set(input.id, JSON.stringify(items));
    } else if (value !== "") form.set(input.id, value);
  }
  return form;
}

const UNITS = { S: "seconds", M: "minutes", H: "hours", D: "days" } as const;
export type DurationUnit = keyof typeof UNITS;
export const DURATION_UNITS = Object.entries(UNITS) as [DurationUnit, string][];

/** `PT5M` -> { amount: "5", unit: "M" }; anything else (e.g. `PT1H30M`) -> undefined (edited as text). */
export function splitDuration(text: string | undefined): { amount: string; unit: DurationUnit } | undefined {
  if (!text) return { amount: "", unit: "M" };
  const m = /^P(?:(\d+)D|T(\d+(?:\.\d+)?)([HMS]))$/i.exec(text.trim());
  if (!m) return undefined;
  return m[1]
    ? { amount: m[1], unit: "D" }
    : { amount: m[2] ?? "", unit: (m[3] ?? "M").toUpperCase() as DurationUnit };
}

export function joinDuration(amount: string, unit: DurationUnit): string {
  if (amount.trim() === "") return "";
  return unit === "D" ? `P${amount.trim()}D` : `PT${amount.trim()}${unit}`;
}
