// formatDate: each date format, in a given zone, and what it does with empty or invalid input.
import { describe, expect, it } from "vitest";
import { formatDate, formatRelative } from "./format-date";

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
