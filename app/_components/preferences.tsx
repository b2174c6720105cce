"use client";
// The signed-in person's preferences (/account), for client components: usePreferences() for all of them,
// useFormatDate() for dates as they asked. The root layout reads them on the server and provides them here.
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from "react";
import { DEFAULT_PREFERENCES, type Preferences } from "@/server/services/preferences-schema";
import { formatDate } from "../_lib/format-date";

const PreferencesContext = createContext<Preferences>(DEFAULT_PREFERENCES);

export function PreferencesProvider({ value, children }: { value: Preferences; children: ReactNode }) {
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): Preferences {
  return useContext(PreferencesContext);
}

/** formatDate with the person's time zone and date format. */
export function useFormatDate(): (value: Date | string | number | null | undefined) => string {
  const { timeZone, dateFormat } = usePreferences();
  return useMemo(() => (value) => formatDate(value, { timeZone, dateFormat }), [timeZone, dateFormat]);
}

/** The person's time zone: their choice, or the browser's own (UTC on the server, where there is none). */
export function useTimeZone(): string {
  const { timeZone } = usePreferences();
  return useMemo(() => {
    if (timeZone !== "browser") return timeZone;
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    } catch {
      return "UTC";
    }
  }, [timeZone]);
}

/** Whether the page is dark right now (the class THEME_SCRIPT sets on <html>), following changes. */
export function useIsDark(): boolean {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const root = document.documentElement;
    const read = () => setDark(root.classList.contains("dark"));
    read();
    const observer = new MutationObserver(read);
    observer.observe(root, { attributes: true, attributeFilter: ["class"] });
    return () => observer.disconnect();
  }, []);
  return dark;
}
