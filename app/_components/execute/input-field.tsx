"use client";
// One input of the launch form, by type: text, numbers, true/false, choices, date and time pickers,
// durations, JSON/YAML text with a syntax check, files, masked secrets, lists.
import { useState } from "react";
import { fromZonedInput, toZonedInput } from "../../_lib/format-date";
import { useTimeZone } from "../preferences";
import {
  choicesOf,
  type DeclaredInput,
  DURATION_UNITS,
  type DurationUnit,
  type FieldValue,
  joinDuration,
  splitDuration,
} from "./input-values";

const control =
  "w-full rounded-md border border-zinc-300 bg-white px-2.5 py-1.5 text-sm text-zinc-900 outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-500/20 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100";

export interface InputFieldProps {
  input: DeclaredInput;
  value: FieldValue;
  onChange(value: FieldValue): void;
  /** The field's DOM id (its label points at it). */
  fieldId: string;
  invalid?: boolean;
  describedBy?: string;
}

export function InputField({ input, value, onChange, fieldId, invalid, describedBy }: InputFieldProps) {
  const timeZone = useTimeZone();
  const text = typeof value === "string" ? value : "";
  const common = {
    id: fieldId,
    "aria-invalid": invalid || undefined,
    "aria-describedby": describedBy,
    className: `${control} ${invalid ? "border-red-400 dark:border-red-700" : ""}`,
  };
  switch (input.type) {
    case "INT":
    case "FLOAT":
      return (
        <input
          {...common}
          type="text"
          inputMode={input.type === "INT" ? "numeric" : "decimal"}
          placeholder={input.type === "INT" ? "an integer" : "a number"}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case "BOOLEAN":
    case "BOOL":
      return (
        <div role="radiogroup" aria-labelledby={`${fieldId}-label`} className="flex gap-1" id={fieldId}>
          {["true", "false"].map((choice) => (
            <label
              key={choice}
              className={`cursor-pointer rounded-md border px-3 py-1 text-sm ${text === choice ? "border-brand-500 bg-brand-50 font-medium text-brand-700 dark:bg-zinc-800" : "border-zinc-300 dark:border-zinc-700"}`}
            >
              <input
                type="radio"
                name={fieldId}
                value={choice}
                checked={text === choice}
                onChange={() => onChange(choice)}
                className="sr-only"
              />
              {choice === "true" ? "True" : "False"}
            </label>
          ))}
        </div>
      );
    case "ENUM":
    case "SELECT": {
      const choices = choicesOf(input);
      if (input.isRadio)
        return (
          <div role="radiogroup" id={fieldId} className="flex flex-wrap gap-3">
            {choices.map((choice) => (
              <label key={choice.value} className="flex items-center gap-1.5 text-sm">
                <input
                  type="radio"
                  name={fieldId}
                  value={choice.value}
                  checked={text === choice.value}
                  onChange={() => onChange(choice.value)}
                />
                {choice.label}
              </label>
            ))}
          </div>
        );
      if (input.allowCustomValue)
        return (
          <>
            <input
              {...common}
              list={`${fieldId}-choices`}
              value={text}
              onChange={(e) => onChange(e.target.value)}
            />
            <datalist id={`${fieldId}-choices`}>
              {choices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </datalist>
          </>
        );
      return (
        <select {...common} value={text} onChange={(e) => onChange(e.target.value || undefined)}>
          <option value="">Choose…</option>
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      );
    }
    case "MULTISELECT": {
      const selected = Array.isArray(value) ? value : [];
      return (
        <fieldset id={fieldId} aria-describedby={describedBy} className="flex flex-wrap gap-x-4 gap-y-1.5">
          {choicesOf(input).map((choice) => (
            <label key={choice.value} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                checked={selected.includes(choice.value)}
                onChange={(e) =>
                  onChange(
                    e.target.checked
                      ? [...selected, choice.value]
                      : selected.filter((item) => item !== choice.value),
                  )
                }
              />
              {choice.label}
            </label>
          ))}
        </fieldset>
      );
    }
    case "DATE":
      return <input {...common} type="date" value={text} onChange={(e) => onChange(e.target.value)} />;
    case "TIME":
      return (
        <input {...common} type="time" step={1} value={text} onChange={(e) => onChange(e.target.value)} />
      );
    case "DATETIME":
      return (
        <div className="flex items-center gap-2">
          <input
            {...common}
            type="datetime-local"
            step={1}
            value={toZonedInput(text, timeZone)}
            onChange={(e) => onChange(fromZonedInput(e.target.value, timeZone))}
          />
          <span className="shrink-0 text-xs text-zinc-500" title={text}>
            {timeZone}
          </span>
        </div>
      );
    case "DURATION":
      return <DurationPicker {...{ input, text, onChange, fieldId, common }} />;
    case "JSON":
    case "YAML":
      return (
        <textarea
          {...common}
          rows={4}
          spellCheck={false}
          className={`${common.className} font-mono text-xs`}
          placeholder={input.type === "JSON" ? '{ "key": "value" }' : "key: value"}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case "FILE":
      return (
        <div className="flex items-center gap-2">
          <input
            id={fieldId}
            aria-describedby={describedBy}
            type="file"
            accept={input.allowedFileExtensions
              ?.map((ext) => (ext.startsWith(".") ? ext : `.${ext}`))
              .join(",")}
            onChange={(e) => onChange(e.target.files?.[0])}
            className="text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1 file:text-sm dark:file:border-zinc-700 dark:file:bg-zinc-900"
          />
        </div>
      );
    case "SECRET":
      return <SecretInput {...{ text, onChange, common }} />;
    case "ARRAY":
      return <ArrayInput {...{ input, value, onChange, fieldId, common }} />;
    case "EMAIL":
      return <input {...common} type="email" value={text} onChange={(e) => onChange(e.target.value)} />;
    case "URI":
      return (
        <input
          {...common}
          type="url"
          placeholder="https://…"
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    default:
      return <input {...common} type="text" value={text} onChange={(e) => onChange(e.target.value)} />;
  }
}

type Common = { id: string; className: string; "aria-invalid"?: boolean; "aria-describedby"?: string };

function SecretInput({
  text,
  onChange,
  common,
}: {
  text: string;
  onChange(v: FieldValue): void;
  common: Common;
}) {
  const [shown, setShown] = useState(false);
  return (
    <div className="flex gap-1">
      <input
        {...common}
        type={shown ? "text" : "password"}
        autoComplete="off"
        value={text}
        onChange={(e) => onChange(e.target.value)}
      />
      <button
        type="button"
        onClick={() => setShown(!shown)}
        className="shrink-0 rounded-md border border-zinc-300 px-2 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
        aria-label={shown ? "Hide the secret" : "Show the secret"}
      >
        {shown ? "Hide" : "Show"}
      </button>
    </div>
  );
}

function DurationPicker({
  text,
  onChange,
  common,
}: {
  input: DeclaredInput;
  text: string;
  onChange(v: FieldValue): void;
  fieldId: string;
  common: Common;
}) {
  const split = splitDuration(text);
  const [unit, setUnit] = useState<DurationUnit>(split?.unit ?? "M");
  if (!split)
    return (
      <input
        {...common}
        placeholder="ISO-8601, e.g. PT1H30M"
        value={text}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  return (
    <div className="flex gap-1">
      <input
        {...common}
        type="text"
        inputMode="numeric"
        placeholder="amount"
        value={split.amount}
        onChange={(e) => onChange(joinDuration(e.target.value, unit))}
      />
      <select
        aria-label="Unit"
        className={`${control} !w-32`}
        value={unit}
        onChange={(e) => {
          const next = e.target.value as DurationUnit;
          setUnit(next);
          onChange(joinDuration(split.amount, next));
        }}
      >
        {DURATION_UNITS.map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </select>
      <span className="self-center font-mono text-xs text-zinc-500">{text || "—"}</span>
    </div>
  );
}

function ArrayInput({
  input,
  value,
  onChange,
  fieldId,
  common,
}: {
  input: DeclaredInput;
  value: FieldValue;
  onChange(v: FieldValue): void;
  fieldId: string;
  common: Common;
}) {
  const items = Array.isArray(value) && value.length > 0 ? value : [""];
  return (
    <div className="flex flex-col gap-1">
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
        <div key={index} className="flex gap-1">
          <input
            {...common}
            id={index === 0 ? fieldId : `${fieldId}-${index}`}
            aria-label={`${input.id} item ${index + 1}`}
            placeholder={input.itemType ? input.itemType.toLowerCase() : "item"}
            value={item}
            onChange={(e) => onChange(items.map((old, i) => (i === index ? e.target.value : old)))}
          />
          <button
            type="button"
            aria-label={`Remove item ${index + 1}`}
            className="shrink-0 rounded-md border border-zinc-300 px-2 text-xs dark:border-zinc-700"
            onClick={() => onChange(items.filter((_, i) => i !== index))}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        className="self-start text-xs text-brand-600 hover:underline"
        onClick={() => onChange([...items, ""])}
      >
        + Add an item
      </button>
    </div>
  );
}
