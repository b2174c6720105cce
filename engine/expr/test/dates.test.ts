import { describe, expect, it } from "vitest";
import { err, r } from "./helpers";

const d = { d: "2024-01-15T10:30:45.123Z", ny: "2024-01-15T10:30:00Z", summer: "2024-07-01T12:00:00Z" };

describe("date filter with Java patterns", () => {
  it.each([
    ["{{ d | date('yyyy-MM-dd') }}", "2024-01-15"],
    ["{{ d | date(\"yyyy-MM-dd'T'HH:mm:ss.SSSXXX\") }}", "2024-01-15T10:30:45.123Z"],
    ["{{ d | date('yy/M/d') }}", "24/1/15"],
    ["{{ d | date('EEE, dd MMM yyyy') }}", "Mon, 15 Jan 2024"],
    ["{{ d | date('EEEE d MMMM') }}", "Monday 15 January"],
    ["{{ d | date('EEEEE MMMMM') }}", "M J"],
    ["{{ d | date('hh:mm a') }}", "10:30 AM"],
    ["{{ summer | date('h a, K, k, H') }}", "12 PM, 0, 12, 12"],
    ["{{ d | date('D DDD') }}", "15 015"],
    ["{{ d | date('Q QQ QQQ QQQQ') }}", "1 01 Q1 1st quarter"],
    ["{{ d | date('w e c E') }}", "3 2 2 Mon"],
    ["{{ d | date('u G') }}", "2024 AD"],
    ["{{ d | date('S SSS SSSSSS SSSSSSSSS') }}", "1 123 123000 123000000"],
    ["{{ d | date('n') }}", "123000000"],
    ["{{ d | date('A') }}", "37845123"],
    ["{{ d | date(\"'at' HH 'o''clock' ''\") }}", "at 10 o'clock '"],
    ["{{ d | date('yyyy-MM-dd[ HH:mm]') }}", "2024-01-15 10:30"],
    ["{{ d | date('X x Z ZZZZZ O VV z zzzz') }}", "Z +00 +0000 Z GMT UTC UTC Coordinated Universal Time"],
    [
      "{{ ny | date('HH:mm X XX XXX x Z ZZZZ ZZZZZ O OOOO VV z zzzz', timeZone='America/New_York') }}",
      "05:30 -05 -0500 -05:00 -05 -0500 GMT-05:00 -05:00 GMT-5 GMT-05:00 America/New_York EST Eastern Standard Time",
    ],
    ["{{ summer | date('HH:mm XXX', timeZone='Europe/Paris') }}", "14:00 +02:00"],
    ["{{ ny | date('HH:mm XXX', timeZone='Asia/Kolkata') }}", "16:00 +05:30"],
    ["{{ ny | date('HH:mm X', timeZone='Asia/Kolkata') }}", "16:00 +0530"],
    ["{{ ny | date('HH:mm XXX', timeZone='+02:00') }}", "12:30 +02:00"],
    ["{{ ny | date('HH:mm VV', timeZone='UTC+3') }}", "13:30 UTC+03:00"],
    ["{{ ny | date('HH:mm', timeZone='Z') }}", "10:30"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, d)).toBe(expected);
  });
});

describe("named formats", () => {
  it.each([
    ["{{ ny | date }}", "2024-01-15T10:30:00.000000Z"],
    ["{{ ny | date('iso') }}", "2024-01-15T10:30:00.000000Z"],
    ["{{ ny | date('iso', timeZone='Europe/Paris') }}", "2024-01-15T11:30:00.000000+01:00"],
    ["{{ ny | date('iso_sec') }}", "2024-01-15T10:30:00Z"],
    ["{{ ny | date('sql') }}", "2024-01-15 10:30:00.000000"],
    ["{{ ny | date('sql_seq') }}", "2024-01-15 10:30:00"],
    ["{{ ny | date('iso_date_time') }}", "2024-01-15T10:30:00Z[UTC]"],
    [
      "{{ ny | date('iso_zoned_date_time', timeZone='Europe/Paris') }}",
      "2024-01-15T11:30:00+01:00[Europe/Paris]",
    ],
    ["{{ ny | date('iso_zoned_date_time', timeZone='+02:00') }}", "2024-01-15T12:30:00+02:00"],
    ["{{ ny | date('iso_date') }}", "2024-01-15Z"],
    ["{{ ny | date('iso_time') }}", "10:30:00Z"],
    ["{{ ny | date('iso_local_date') }}", "2024-01-15"],
    ["{{ ny | date('iso_local_time') }}", "10:30:00"],
    ["{{ ny | date('iso_local_date_time') }}", "2024-01-15T10:30:00"],
    ["{{ ny | date('iso_offset_time') }}", "10:30:00Z"],
    ["{{ ny | date('iso_instant', timeZone='Europe/Paris') }}", "2024-01-15T10:30:00Z"],
    ["{{ ny | date('iso_ordinal_date') }}", "2024-015Z"],
    ["{{ ny | date('iso_week_date') }}", "2024-W03-1Z"],
    ["{{ ny | date('rfc_1123_date_time') }}", "Mon, 15 Jan 2024 10:30:00 GMT"],
    ["{{ ny | date('rfc_1123_date_time', timeZone='Europe/Paris') }}", "Mon, 15 Jan 2024 11:30:00 +0100"],
    ["{{ ny | date('short') }}", "1/15/24, 10:30 AM"],
    ["{{ ny | date('medium') }}", "Jan 15, 2024, 10:30:00 AM"],
    ["{{ ny | date('long') }}", "January 15, 2024 at 10:30:00 AM UTC"],
    ["{{ ny | date('full') }}", "Monday, January 15, 2024 at 10:30:00 AM Coordinated Universal Time"],
    ["{{ micro | date('iso_local_time') }}", "10:00:00.123456"],
    ["{{ micro | date('iso_instant') }}", "2024-01-15T10:00:00.123456Z"],
    ["{{ micro | date('yyyy-MM-dd HH:mm:ss.SSSSSS') }}", "2024-01-15 10:00:00.123456"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, { ...d, micro: "2024-01-15T10:00:00.123456Z" })).toBe(expected);
  });
});

describe("date inputs", () => {
  it.each([
    ["{{ '2024-01-15T10:30:00' | date }}", "2024-01-15T10:30:00.000000Z"],
    ["{{ '2024-01-15T10:30:00' | date(timeZone='Europe/Paris') }}", "2024-01-15T10:30:00.000000+01:00"],
    ["{{ '2024-01-15' | date }}", "2024-01-15T00:00:00.000000Z"],
    ["{{ '2024-01-15 08:05:00' | date('HH:mm') }}", "08:05"],
    ["{{ '2024-01-15T10:30:00+01:00[Europe/Paris]' | date('HH:mm') }}", "09:30"],
    ["{{ '2024-01-15T10:30:00.5-03:00' | date('HH:mm:ss.SSS') }}", "13:30:00.500"],
    ["{{ 1705314645 | date('yyyy-MM-dd HH:mm:ss') }}", "2024-01-15 10:30:45"],
    ["{{ epoch | date }}", "2024-01-15T10:30:45.000000Z"],
    ["{{ jsDate | date('yyyy-MM-dd HH:mm:ss.SSS') }}", "2024-01-15 10:30:45.123"],
    ["{{ 'July 24, 2001' | date('yyyy-MM-dd', existingFormat='MMMM dd, yyyy') }}", "2001-07-24"],
    ["{{ '2024-March-5' | date(existingFormat='yyyy-MMMM-d', format='yyyy/MMMM/d') }}", "2024/March/5"],
    ["{{ '15/01/2024 10:30' | date(existingFormat='dd/MM/yyyy HH:mm') }}", "2024-01-15T10:30:00.000000Z"],
    ["{{ '20240115' | date('yyyy-MM-dd', existingFormat='yyyyMMdd') }}", "2024-01-15"],
    ["{{ '2024-01-15 10:30:00 +0200' | date('HH:mm', existingFormat='yyyy-MM-dd HH:mm:ss Z') }}", "08:30"],
    ["{{ '01/15/2024 02:05 PM' | date('HH:mm', existingFormat='MM/dd/yyyy hh:mm a') }}", "14:05"],
    [
      "{{ 'Mon, 15 Jan 2024 10:30:00 GMT' | date('iso_sec', existingFormat='rfc_1123_date_time') }}",
      "2024-01-15T10:30:00Z",
    ],
    ["{{ '2024-01-15 10:30:00' | date('iso_sec', existingFormat='sql_seq') }}", "2024-01-15T10:30:00Z"],
    ["{{ '2024-01-15T10:30:00Z' | date('HH', existingFormat='iso_date_time') }}", "10"],
    ["{{ '10:30 Europe/Paris 2024-01-15' | date('HH:mm', existingFormat='HH:mm VV yyyy-MM-dd') }}", "09:30"],
    ["{{ '2024-01-15' | date('yyyy', locale='fr') }}", "2024"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, { epoch: 1705314645, jsDate: new Date("2024-01-15T10:30:45.123Z") })).toBe(expected);
  });

  it("uses the render's default zone", () => {
    expect(r("{{ ny | date('HH:mm') }}", d, { timezone: "Asia/Tokyo" })).toBe("19:30");
  });

  it.each([
    ["{{ 'yesterday' | date }}", "could not be parsed"],
    ["{{ '2024-13-01' | date }}", "MonthOfYear"],
    ["{{ '2024-02-30' | date }}", "DayOfMonth"],
    ["{{ [1] | date }}", "Unable to convert a ArrayList to a date"],
    ["{{ ny | date('yyyy-bb') }}", "Unknown pattern letter: b"],
    ["{{ ny | date('B') }}", "not supported"],
    ["{{ ny | date('dddd') }}", "Too many pattern letters: d"],
    ["{{ ny | date('{') }}", "reserved character"],
    ["{{ ny | date(timeZone='Mars/Base') }}", "Unknown time-zone ID: Mars/Base"],
    ["{{ ny | date(timeZone='+25:00') }}", "Invalid ID for ZoneOffset"],
    ["{{ '2024/01/15' | date(existingFormat='yyyy-MM-dd') }}", "could not be parsed"],
    ["{{ ny | date(format=1) }}", "'format' argument must be a string"],
  ])("%j fails with %j", (tpl, message) => {
    expect(err(tpl, d).message).toContain(message);
  });

  it("returns null for null", () => {
    expect(r("[{{ nothing | date }}]", { nothing: null })).toBe("[]");
  });
});

describe("dateAdd", () => {
  it.each([
    ["{{ ny | dateAdd(1, 'DAYS') }}", "2024-01-16T10:30:00.000000Z"],
    ["{{ ny | dateAdd(-1, 'DAYS', 'yyyy-MM-dd') }}", "2024-01-14"],
    ["{{ ny | dateAdd(2, 'HOURS', format='HH:mm') }}", "12:30"],
    ["{{ ny | dateAdd(90, 'MINUTES', format='HH:mm') }}", "12:00"],
    ["{{ ny | dateAdd(2, 'WEEKS', format='yyyy-MM-dd') }}", "2024-01-29"],
    ["{{ '2024-01-31T00:00:00Z' | dateAdd(1, 'MONTHS', 'yyyy-MM-dd') }}", "2024-02-29"],
    ["{{ '2024-02-29T00:00:00Z' | dateAdd(1, 'YEARS', 'yyyy-MM-dd') }}", "2025-02-28"],
    ["{{ ny | dateAdd(500, 'MILLIS', 'ss.SSS') }}", "00.500"],
    ["{{ ny | dateAdd(-1, 'DECADES', 'yyyy') }}", "2014"],
    [
      "{{ '2024-03-30T12:00:00+01:00[Europe/Paris]' | dateAdd(1, 'DAYS', 'HH:mm XXX', timeZone='Europe/Paris') }}",
      "12:00 +02:00",
    ],
    [
      "{{ '2024-03-30T12:00:00+01:00[Europe/Paris]' | dateAdd(24, 'HOURS', 'HH:mm XXX', timeZone='Europe/Paris') }}",
      "13:00 +02:00",
    ],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, d)).toBe(expected);
  });

  it("rejects unknown units", () => {
    expect(err("{{ ny | dateAdd(1, 'FORTNIGHTS') }}", d).message).toContain("ChronoUnit.FORTNIGHTS");
  });
});

describe("timestamps", () => {
  it.each([
    ["{{ t | timestamp }}", "1705314645"],
    ["{{ t | timestampMilli }}", "1705314645123"],
    ["{{ t | timestampMicro }}", "1705314645123456"],
    ["{{ t | timestampNano }}", "1705314645123456000"],
    ["{{ t | timestamp(timeZone='Asia/Kolkata') }}", "1705314645"],
    ["{{ '2024-01-15T10:30:45' | timestamp(timeZone='Europe/Paris') }}", "1705311045"],
    ["{{ '15/01/2024' | timestamp(existingFormat='dd/MM/yyyy') }}", "1705276800"],
    ["{{ now() | timestamp }}", "1705314645"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, { t: "2024-01-15T10:30:45.123456Z" })).toBe(expected);
  });
});

describe("now()", () => {
  it.each([
    ["{{ now() }}", "2024-01-15T10:30:45.123000Z"],
    ["{{ now(timeZone='Europe/Paris') }}", "2024-01-15T11:30:45.123000+01:00"],
    ["{{ now(format='yyyy-MM-dd') }}", "2024-01-15"],
    ["{{ now() | date('yyyy') }}", "2024"],
    ["{{ now() | dateAdd(-1, 'DAYS') }}", "2024-01-14T10:30:45.123000Z"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, {})).toBe(expected);
  });
});
