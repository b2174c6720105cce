"use client";
// The parts of the "change status" dialogs (a whole execution's, a task run's): the state to change to,
// and the dialog's error and buttons.
import { Button, ErrorText, Select } from "../ui";

export function StateChoiceField<S extends string>({
  id,
  label,
  value,
  choices,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  value: S;
  choices: readonly S[];
  onChange(state: S): void;
  hint: string;
}) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <Select id={id} value={value} onChange={(e) => onChange(e.target.value as S)} className="w-full">
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </Select>
      <p className="mt-2 text-xs text-zinc-500">{hint}</p>
    </div>
  );
}

export function StateChoiceActions({
  error,
  submitLabel,
  disabled,
  onCancel,
}: {
  error?: string;
  submitLabel: string;
  disabled: boolean;
  onCancel(): void;
}) {
  return (
    <>
      {error ? <ErrorText>{error}</ErrorText> : null}
      <div className="flex justify-end gap-2">
        <Button variant="plain" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={disabled}>
          {submitLabel}
        </Button>
      </div>
    </>
  );
}
