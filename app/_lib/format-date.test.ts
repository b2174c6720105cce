// formatDate: each date format, in a given zone, and what it does with empty or invalid input.
import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDuration,
  formatElapsed,
  formatRelative,
  formatSortable,
  fromZonedInput,
  toZonedInput,
} from "./format-date";

const AT = "2026-12-06T13:03:07.000Z";

describe("formatDate", () => {
  it("writes each format in the person's zone", () => {
    expect(formatDate(AT, { timeZone: "Europe/Paris", dateFormat: "iso" })).toBe("2026-12-06 14:03:07 CET");
    expect(formatDate(AT, { timeZone: "Asia/Tokyo", dateFormat: "european" })).toBe("06/12/2026 22:03:07");
    expect(formatDate(AT, { timeZone: "America/New_York", dateFormat: "us" })).toBe("12/06/2026 8:03:07 AM");
    expect(formatDate(new Date(AT).getTime(), { timeZone: "UTC", dateFormat: "iso" })).toBe(
      "2026-12-06 13:03:07 UTC",
    );
  });

  it("writes relative dates from now", () => {
    const now = new Date(AT);
    expect(
      formatDate(new Date(now.getTime() - 3 * 60_000), { timeZone: "UTC", dateFormat: "relative" }, now),
    ).toBe("3 minutes ago");
    expect(formatRelative(new Date(now.getTime() + 2 * 86_400_000), now)).toBe("in 2 days");
  });

  it("leaves empty and invalid values readable", () => {
    expect(formatDate(null)).toBe("");
    expect(formatDate(undefined)).toBe("");
    expect(formatDate("not a date")).toBe("not a date");
  });
});

describe("durations and sortable dates", () => {
  it("writes lengths of time compactly", () => {
    expect(formatElapsed(850)).toBe("850 ms");
    expect(formatElapsed(12_345)).toBe("12 s");
    expect(formatElapsed(4_500)).toBe("4.5 s");
    expect(formatElapsed(245_000)).toBe("4 min 05 s");
    expect(formatElapsed(2 * 3_600_000 + 3 * 60_000)).toBe("2 h 03 min");
    expect(formatElapsed(3 * 86_400_000 + 4 * 3_600_000)).toBe("3 d 4 h");
    expect(formatElapsed(null)).toBe("—");
    expect(formatDuration(AT, "2026-12-06T13:04:07.000Z")).toBe("1 min 00 s");
    expect(formatDuration(AT, null, new Date(AT).getTime() + 500)).toBe("500 ms");
  });

  it("writes sortable dates in the zone", () => {
    expect(formatSortable(AT, "Europe/Paris")).toBe("2026-12-06 14:03:07");
    expect(formatSortable(AT, "Asia/Tokyo", { seconds: false })).toBe("2026-12-06 22:03");
    expect(formatSortable(undefined, "UTC")).toBe("—");
  });
});

describe("datetime-local fields in the person's zone", () => {
  it("shows an instant in the zone and reads it back", () => {
    expect(toZonedInput(AT, "America/New_York")).toBe("2026-12-06T08:03:07");
    expect(fromZonedInput("2026-12-06T08:03:07", "America/New_York")).toBe("2026-12-06T13:03:07Z");
    expect(fromZonedInput("2026-12-06T22:03", "Asia/Tokyo")).toBe("2026-12-06T13:03:00Z");
    expect(toZonedInput(AT, "UTC", { seconds: false })).toBe("2026-12-06T13:03");
  });

  it("is right on both sides of a daylight-saving change", () => {
    // Paris: CEST (+2) until 2026-10-25 03:00, CET (+1) after; 02:00–03:00 that night happens twice, and a
    // datetime-local field cannot say which, so only unambiguous times go round trip.
    expect(fromZonedInput("2026-10-24T12:00", "Europe/Paris")).toBe("2026-10-24T10:00:00Z");
    expect(fromZonedInput("2026-10-26T12:00", "Europe/Paris")).toBe("2026-10-26T11:00:00Z");
    for (const iso of ["2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z", "2026-10-25T02:30:00Z"])
      expect(fromZonedInput(toZonedInput(iso, "Europe/Paris"), "Europe/Paris")).toBe(iso.replace(".000", ""));
  });

  it("leaves empty and unreadable fields alone", () => {
    expect(fromZonedInput("", "UTC")).toBe("");
    expect(fromZonedInput("tomorrow", "UTC")).toBe("tomorrow");
    expect(toZonedInput("not a date", "UTC")).toBe("");
  });
});
