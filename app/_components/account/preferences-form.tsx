"use client";
// The person's own settings: theme, time zone and date format (with a preview), editor font size, the
// namespace new flows start in, and the tab an execution opens on. Saved at once, applied without a reload.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import {
  DATE_FORMATS,
  type DateFormat,
  EXECUTION_TABS,
  type ExecutionTab,
  type Preferences,
  THEMES,
  type Theme,
} from "@/server/services/preferences-schema";
import { formatDate } from "../../_lib/format-date";
import { useTRPC } from "../../_trpc/react";
import { NamespacePicker } from "../admin/namespace-picker";
import { Button, Card, ErrorText, Field, Input, Select } from "../ui";

const FORMAT_LABELS: Record<DateFormat, string> = {
  iso: "ISO (2026-12-06 14:03:07 CET)",
  locale: "Your browser's",
  european: "Day/month/year (06/12/2026 14:03:07)",
  us: "Month/day/year (12/06/2026 2:03:07 PM)",
  relative: "Relative (3 minutes ago)",
};

declare global {
  interface Window {
    __cadenzaApplyTheme?: () => void;
  }
}

export function PreferencesForm({ initial, tenant }: { initial: Preferences; tenant?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [prefs, setPrefs] = useState<Preferences>(initial);
  const [saved, setSaved] = useState(false);
  const zones = useMemo(() => {
    const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
    return supported ? supported("timeZone") : ["UTC"];
  }, []);
  const save = useMutation(
    trpc.preferences.update.mutationOptions({
      onSuccess: (next) => {
        setPrefs(next);
        setSaved(true);
        document.documentElement.setAttribute("data-theme", next.theme);
        window.__cadenzaApplyTheme?.();
        router.refresh();
      },
    }),
  );
  const sample = new Date(Date.now() - 3 * 60_000);
  return (
    <Card>
      <form
        className="grid gap-5 sm:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          save.mutate(prefs);
        }}
      >
        <fieldset className="sm:col-span-2">
          <legend className="mb-1 text-sm font-medium text-zinc-700 dark:text-zinc-300">Theme</legend>
          <div className="flex gap-4">
            {THEMES.map((theme) => (
              <label key={theme} className="flex items-center gap-1.5 text-sm">
                <input
                  type="radio"
                  name="theme"
                  value={theme}
                  checked={prefs.theme === theme}
                  onChange={() => setPrefs({ ...prefs, theme: theme as Theme })}
                  className="accent-brand-600"
                />
                {theme === "system" ? "Same as the system" : theme === "light" ? "Light" : "Dark"}
              </label>
            ))}
          </div>
        </fieldset>
        <Field label="Time zone">
          <Select value={prefs.timeZone} onChange={(e) => setPrefs({ ...prefs, timeZone: e.target.value })}>
            <option value="browser">Your browser&apos;s</option>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Date format">
          <Select
            value={prefs.dateFormat}
            onChange={(e) => setPrefs({ ...prefs, dateFormat: e.target.value as DateFormat })}
          >
            {DATE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </Select>
        </Field>
        <p className="text-sm text-zinc-600 sm:col-span-2 dark:text-zinc-400">
          A date three minutes ago will read:{" "}
          <strong data-testid="date-preview" className="text-zinc-900 dark:text-zinc-100">
            {formatDate(sample, prefs)}
          </strong>
        </p>
        <Field label="Editor font size (px)">
          <Input
            type="number"
            min={10}
            max={24}
            value={prefs.editorFontSize}
            onChange={(e) => setPrefs({ ...prefs, editorFontSize: Number(e.target.value) })}
          />
        </Field>
        <Field label="Default execution tab">
          <Select
            value={prefs.defaultExecutionTab}
            onChange={(e) => setPrefs({ ...prefs, defaultExecutionTab: e.target.value as ExecutionTab })}
          >
            {EXECUTION_TABS.map((t) => (
              <option key={t} value={t}>
                {t[0]?.toUpperCase()}
                {t.slice(1)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Default namespace for new flows">
          {tenant ? (
            <NamespacePicker
              tenant={tenant}
              value={prefs.defaultNamespace ?? ""}
              onChange={(ns) => setPrefs({ ...prefs, defaultNamespace: ns || null })}
              label="Default namespace"
              emptyLabel="none"
            />
          ) : (
            <Input
              value={prefs.defaultNamespace ?? ""}
              onChange={(e) => setPrefs({ ...prefs, defaultNamespace: e.target.value || null })}
            />
          )}
        </Field>
        <div className="flex items-center gap-3 sm:col-span-2">
          <Button type="submit" disabled={save.isPending}>
            Save
          </Button>
          {saved ? (
            <span role="status" className="text-sm text-green-800 dark:text-green-300">
              Saved.
            </span>
          ) : null}
        </div>
        <div className="sm:col-span-2">
          <ErrorText>{save.error?.message}</ErrorText>
        </div>
      </form>
    </Card>
  );
}
