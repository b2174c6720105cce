/** Structured-data filters: toJson (and its deprecated name json), yaml/toYaml, toIon, jq. */
import { ExpressionError } from "../errors";
import { toIon } from "../ion";
import { runJq } from "../jq/index";
import { toJson } from "../json";
import type { BoundArgs, CallContext, FilterDef } from "../registry";
import { toYaml } from "../yaml-emit";

function json(input: unknown, args: BoundArgs, cx: CallContext): string {
  if (input === null || input === undefined) return "null";
  return toJson(input, {
    includeNulls: args.includeNulls === true,
    charge: (n) => cx.charge(n),
    maxLength: cx.maxOutputLength,
  });
}

function yaml(input: unknown, _args: BoundArgs, cx: CallContext): string {
  if (input === null || input === undefined) return "null";
  const out = toYaml(input, (n) => cx.charge(n));
  cx.checkLength(out.length);
  return out;
}

export const DATA_FILTERS: Array<[string, FilterDef]> = [
  ["toJson", { args: ["includeNulls"], apply: json }],
  ["json", { args: ["includeNulls"], apply: json }],
  ["jsonEncode", { args: ["includeNulls"], apply: json }],
  ["yaml", { apply: yaml }],
  ["toYaml", { apply: yaml }],
  ["toIon", { apply: (input) => (input === null || input === undefined ? "null" : toIon(input)) }],
  [
    "jq",
    {
      args: ["expression"],
      apply: (input, args, cx) => {
        if (input === null || input === undefined) return null;
        if (args.expression === undefined)
          throw new ExpressionError("The 'jq' filter expects an argument 'expression'.");
        if (typeof args.expression !== "string")
          throw new ExpressionError("The 'jq' expression must be a string");
        return runJq(args.expression, input, cx);
      },
    },
  ],
];
