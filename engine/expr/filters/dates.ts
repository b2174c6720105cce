/** Kestra's date filters: date, dateAdd, timestamp, timestampMilli, timestampMicro, timestampNano. */
import { addToDate, formatInput, type Precision, timestampOf } from "../dates/index";
import { ExpressionError } from "../errors";
import { type FilterDef, requireInt } from "../registry";

const DATE_ARGS = ["format", "timeZone", "existingFormat", "locale"] as const;

function timestamp(precision: Precision): FilterDef {
  return {
    args: ["timeZone", "existingFormat"],
    apply: (input, args, cx) =>
      input === null || input === undefined ? null : timestampOf(input, args, cx, precision),
  };
}

export const DATE_FILTERS: Array<[string, FilterDef]> = [
  [
    "date",
    {
      args: DATE_ARGS,
      apply: (input, args, cx) =>
        input === null || input === undefined ? null : formatInput(input, args, cx),
    },
  ],
  [
    "dateAdd",
    {
      args: ["amount", "unit", ...DATE_ARGS],
      apply: (input, args, cx) => {
        if (input === null || input === undefined) return null;
        const amount = requireInt(args.amount, "The 'dateAdd' amount");
        if (typeof args.unit !== "string")
          throw new ExpressionError("The 'dateAdd' unit must be a string like 'DAYS'");
        return addToDate(input, amount, args.unit, args, cx);
      },
    },
  ],
  ["timestamp", timestamp("seconds")],
  ["timestampMilli", timestamp("millis")],
  ["timestampMicro", timestamp("micros")],
  ["timestampNano", timestamp("nanos")],
];
