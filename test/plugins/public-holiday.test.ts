// The PublicHoliday condition on date-holidays' real calendars, through the plugin's own test().
import { describe, expect, it } from "vitest";
import type { ConditionContext } from "@/engine/plugin";
import { publicHolidayPlugin } from "@/plugins/core/condition/public-holiday";

function context(date?: string): ConditionContext {
  return {
    flow: { namespace: "company.team", id: "report" },
    ...(date ? { date: new Date(date) } : {}),
    now: new Date("2025-01-01T00:00:00Z"),
    render: async (template) =>
      typeof template === "string" ? template.replace("{{ trigger.date }}", date ?? "") : template,
    test: async () => [],
  };
}

const check = (properties: Record<string, unknown>, date?: string) =>
  publicHolidayPlugin.test?.(publicHolidayPlugin.schema.parse(properties), context(date));

describe("core.condition.PublicHoliday", () => {
  it("holds on a country's public holidays only, by the trigger's date or a given one", async () => {
    expect(await check({ country: "FR" }, "2025-07-14T11:00:00Z")).toBe(true);
    expect(await check({ country: "FR" }, "2025-07-15T11:00:00Z")).toBe(false);
    expect(await check({ country: "US", date: "2025-07-04" })).toBe(true);
    expect(await check({ country: "FR", date: "2025-07-04" })).toBe(false);
  });

  it("reads a subdivision in ISO 3166-2 form or the library's, and refuses an unknown country", async () => {
    // Epiphany (6 January) is a public holiday in Bavaria, not in Berlin.
    expect(await check({ country: "DE", subDivision: "DE-BY", date: "2025-01-06" })).toBe(true);
    expect(await check({ country: "DE", subDivision: "BY", date: "2025-01-06" })).toBe(true);
    expect(await check({ country: "DE", subDivision: "BE", date: "2025-01-06" })).toBe(false);
    await expect(check({ country: "XX", date: "2025-01-06" })).rejects.toThrow(
      /does not know the country 'XX'/,
    );
    await expect(check({ country: "FR", date: "tomorrow" })).rejects.toThrow(/'tomorrow' is not a date-time/);
  });
});
