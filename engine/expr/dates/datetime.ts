/**
 * A zoned date-time with nanosecond precision (Kestra dates carry microseconds, a JS Date only
 * milliseconds): an instant (epoch second + nano) and the zone it is viewed in.
 */
import { ExpressionError } from "../errors";
import { civilFromDays, dayOfWeek, daysFromCivil, floorDiv, floorMod, lengthOfMonth } from "./calendar";
import { localToEpoch, offsetAt, type Zone } from "./zone";

export interface ZonedDateTime {
  readonly epochSecond: number;
  readonly nano: number;
  readonly zone: Zone;
}

export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nano: number;
  /** 1 = Monday ... 7 = Sunday */
  dayOfWeek: number;
  offsetSeconds: number;
}

export function fieldsOf(zdt: ZonedDateTime): LocalFields {
  const offsetSeconds = offsetAt(zdt.zone, zdt.epochSecond);
  const local = zdt.epochSecond + offsetSeconds;
  const days = floorDiv(local, 86400);
  const secOfDay = local - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(secOfDay / 3600),
    minute: Math.floor((secOfDay % 3600) / 60),
    second: secOfDay % 60,
    nano: zdt.nano,
    dayOfWeek: dayOfWeek(days),
    offsetSeconds,
  };
}

export function validateLocal(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  text: string,
): void {
  const bad = (what: string) =>
    new ExpressionError(`Text '${text}' could not be parsed: Invalid value for ${what}`);
  if (month < 1 || month > 12) throw bad(`MonthOfYear (valid values 1 - 12): ${month}`);
  if (day < 1 || day > lengthOfMonth(year, month)) throw bad(`DayOfMonth: ${day}`);
  if (hour < 0 || hour > 23) throw bad(`HourOfDay (valid values 0 - 23): ${hour}`);
  if (minute < 0 || minute > 59) throw bad(`MinuteOfHour (valid values 0 - 59): ${minute}`);
  if (second < 0 || second > 59) throw bad(`SecondOfMinute (valid values 0 - 59): ${second}`);
}

export function ofLocal(
  zone: Zone,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  nano: number,
): ZonedDateTime {
  const localSeconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return { epochSecond: localToEpoch(zone, localSeconds), nano, zone };
}

export function ofOffset(
  offsetSeconds: number,
  zone: Zone,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  nano: number,
): ZonedDateTime {
  const localSeconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return { epochSecond: localSeconds - offsetSeconds, nano, zone };
}

export function fromEpochMillis(ms: number, zone: Zone): ZonedDateTime {
  const epochSecond = Math.floor(ms / 1000);
  return { epochSecond, nano: Math.round((ms - epochSecond * 1000) * 1e6), zone };
}

export function withZone(zdt: ZonedDateTime, zone: Zone): ZonedDateTime {
  return { epochSecond: zdt.epochSecond, nano: zdt.nano, zone };
}

const TIME_UNITS: Record<string, number> = {
  NANOS: 1e-9,
  MICROS: 1e-6,
  MILLIS: 1e-3,
  SECONDS: 1,
  MINUTES: 60,
  HOURS: 3600,
  HALF_DAYS: 43200,
};

const DATE_UNITS: Record<string, { days?: number; months?: number }> = {
  DAYS: { days: 1 },
  WEEKS: { days: 7 },
  MONTHS: { months: 1 },
  YEARS: { months: 12 },
  DECADES: { months: 120 },
  CENTURIES: { months: 1200 },
  MILLENNIA: { months: 12000 },
};

/** ZonedDateTime.plus(amount, ChronoUnit): time units on the instant, date units on the local date. */
export function plus(zdt: ZonedDateTime, amount: number, unit: string): ZonedDateTime {
  const seconds = TIME_UNITS[unit];
  if (seconds !== undefined) {
    if (seconds >= 1)
      return { epochSecond: zdt.epochSecond + amount * seconds, nano: zdt.nano, zone: zdt.zone };
    const totalNanos = zdt.nano + amount * Math.round(seconds * 1e9);
    return {
      epochSecond: zdt.epochSecond + floorDiv(totalNanos, 1e9),
      nano: floorMod(totalNanos, 1e9),
      zone: zdt.zone,
    };
  }
  const dateUnit = DATE_UNITS[unit];
  if (dateUnit === undefined) {
    throw new ExpressionError(
      `No enum constant java.time.temporal.ChronoUnit.${unit} (use NANOS, MICROS, MILLIS, SECONDS, MINUTES, HOURS, HALF_DAYS, DAYS, WEEKS, MONTHS, YEARS, DECADES, CENTURIES or MILLENNIA)`,
    );
  }
  const f = fieldsOf(zdt);
  let { year, month, day } = f;
  if (dateUnit.months !== undefined) {
    const total = year * 12 + (month - 1) + amount * dateUnit.months;
    year = floorDiv(total, 12);
    month = floorMod(total, 12) + 1;
    day = Math.min(day, lengthOfMonth(year, month));
  } else {
    const civil = civilFromDays(daysFromCivil(year, month, day) + amount * (dateUnit.days ?? 0));
    year = civil.year;
    month = civil.month;
    day = civil.day;
  }
  return ofLocal(zdt.zone, year, month, day, f.hour, f.minute, f.second, zdt.nano);
}
