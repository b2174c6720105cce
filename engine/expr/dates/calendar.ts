/** Proleptic Gregorian calendar arithmetic on plain integers (no Date, no time zones). */

export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

export function floorMod(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function lengthOfMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31);
}

/** Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO day of week: 1 = Monday ... 7 = Sunday. */
export function dayOfWeek(days: number): number {
  return floorMod(days + 3, 7) + 1;
}

export function dayOfYear(year: number, month: number, day: number): number {
  return daysFromCivil(year, month, day) - daysFromCivil(year, 1, 1) + 1;
}

/**
 * Week-based year and week number for a week definition: `firstDay` (1 = Monday, 7 = Sunday)
 * and the minimal number of days of the first week. ISO is (1, 4); en-US is (7, 1).
 */
export function weekFields(
  year: number,
  month: number,
  day: number,
  firstDay: number,
  minimalDays: number,
): { weekYear: number; week: number } {
  const days = daysFromCivil(year, month, day);
  const weekStart = (y: number): number => {
    const jan1 = daysFromCivil(y, 1, 1);
    const offset = floorMod(dayOfWeek(jan1) - firstDay, 7);
    // The first week is the one holding at least `minimalDays` days of January.
    return 7 - offset >= minimalDays ? jan1 - offset : jan1 - offset + 7;
  };
  let weekYear = year;
  let start = weekStart(year);
  if (days < start) {
    weekYear = year - 1;
    start = weekStart(weekYear);
  } else {
    const next = weekStart(year + 1);
    if (days >= next) {
      weekYear = year + 1;
      start = next;
    }
  }
  return { weekYear, week: Math.floor((days - start) / 7) + 1 };
}

/** Week of month for a week definition (Java's W). */
export function weekOfMonth(
  year: number,
  month: number,
  day: number,
  firstDay: number,
  minimalDays: number,
): number {
  const first = daysFromCivil(year, month, 1);
  const offset = floorMod(dayOfWeek(first) - firstDay, 7);
  const firstWeekStart = 7 - offset >= minimalDays ? first - offset : first - offset + 7;
  return Math.floor((daysFromCivil(year, month, day) - firstWeekStart) / 7) + 1;
}
