/** Collection filters: Pebble core (first, last, join, length, merge, reverse, sort, rsort, slice) and Kestra's. */
import { ExpressionError } from "../errors";
import { equals } from "../operators";
import { javaToString } from "../print";
import { type CallContext, type FilterDef, requireInt } from "../registry";
import { getOwn, isList, isMap, isNumber, MISSING, num, type PlainMap, setOwn, typeName } from "../values";
import { asList } from "./util";

function sortable(list: unknown[], filter: string): unknown[] {
  if (list.every((v) => typeof v === "string"))
    return [...list].sort((a, b) =>
      (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0,
    );
  if (list.every((v) => isNumber(v))) return [...list].sort((a, b) => num(a as number) - num(b as number));
  if (list.every((v) => typeof v === "boolean")) return [...list].sort((a, b) => Number(a) - Number(b));
  throw new ExpressionError(`The '${filter}' filter can only sort a list of strings or of numbers`);
}

function mapValues(m: PlainMap): unknown[] {
  const out: unknown[] = [];
  for (const k of Object.keys(m)) {
    const v = getOwn(m, k);
    if (v !== MISSING) out.push(v);
  }
  return out;
}

function merge(input: unknown, items: unknown, cx: CallContext): unknown {
  if (input === null || input === undefined) {
    if (items === null || items === undefined)
      throw new ExpressionError("The two arguments to be merged are null");
    return items;
  }
  if (items === null || items === undefined) return input;
  if (isMap(input)) {
    const out: PlainMap = {};
    for (const k of Object.keys(input)) setOwn(out, k, input[k]);
    if (isMap(items)) {
      for (const k of Object.keys(items)) setOwn(out, k, items[k]);
    } else if (isList(items)) {
      for (const v of items) setOwn(out, javaToString(v), v);
    } else {
      throw new ExpressionError(
        `Currently, only Maps and Lists can be merged with a Map. Arg2: ${typeName(items)}`,
      );
    }
    cx.charge(Object.keys(out).length);
    return out;
  }
  if (isList(input)) {
    let out: unknown[];
    if (isList(items)) out = [...input, ...items];
    else if (isMap(items)) out = [...input, ...Object.keys(items).map((k) => ({ key: k, value: items[k] }))];
    else
      throw new ExpressionError(
        `Currently, only Maps and Lists can be merged with a List. Arg2: ${typeName(items)}`,
      );
    cx.charge(out.length);
    return out;
  }
  throw new ExpressionError("The object being filtered is not a Map/List/Array");
}

function slice(input: unknown, fromArg: unknown, toArg: unknown): unknown {
  if (input === null || input === undefined) return null;
  const from = fromArg === null || fromArg === undefined ? 0 : requireInt(fromArg, "Argument fromIndex");
  if (from < 0) throw new ExpressionError("fromIndex must be greater than 0");
  let length: number;
  if (isList(input) || typeof input === "string") length = input.length;
  else {
    throw new ExpressionError(
      `Slice filter can only be applied to String, List and array inputs. Actual type was: ${typeName(input)}`,
    );
  }
  let to = length;
  if (toArg !== null && toArg !== undefined) {
    to = requireInt(toArg, "Argument toIndex");
    if (to > length) throw new ExpressionError(`toIndex must be smaller than input size: ${length}`);
    if (from >= to) throw new ExpressionError("toIndex must be greater than fromIndex");
  }
  return input.slice(from, to);
}

export const COLLECTION_FILTERS: Array<[string, FilterDef]> = [
  [
    "first",
    {
      apply: (input) => {
        if (input === null || input === undefined) return null;
        if (typeof input === "string") return input.length > 0 ? input[0] : null;
        return asList(input, "first")[0] ?? null;
      },
    },
  ],
  [
    "last",
    {
      apply: (input) => {
        if (input === null || input === undefined) return null;
        if (typeof input === "string") return input.length > 0 ? input[input.length - 1] : null;
        const list = asList(input, "last");
        return list[list.length - 1] ?? null;
      },
    },
  ],
  [
    "join",
    {
      args: ["separator"],
      apply: (input, args, cx) => {
        if (input === null || input === undefined) return null;
        if (!isList(input)) {
          throw new ExpressionError(
            "The 'join' filter expects that the input is either a collection or an array.",
          );
        }
        cx.charge(input.length);
        const glue =
          args.separator === null || args.separator === undefined ? "" : javaToString(args.separator);
        let out = "";
        for (let i = 0; i < input.length; i++) {
          if (i > 0) out += glue;
          out += javaToString(input[i]);
          if (out.length > cx.maxOutputLength) cx.checkLength(out.length);
        }
        return out;
      },
    },
  ],
  [
    "length",
    {
      apply: (input) => {
        if (typeof input === "string" || isList(input)) return input.length;
        if (isMap(input)) return Object.keys(input).length;
        return 0;
      },
    },
  ],
  ["merge", { args: ["items"], apply: (input, args, cx) => merge(input, args.items, cx) }],
  [
    "reverse",
    {
      apply: (input) => {
        if (input === null || input === undefined) return null;
        if (typeof input === "string") return [...input].reverse().join("");
        return [...asList(input, "reverse")].reverse();
      },
    },
  ],
  [
    "sort",
    {
      apply: (input, _args, cx) => {
        if (input === null || input === undefined) return null;
        const list = asList(input, "sort");
        cx.charge(list.length);
        return sortable(list, "sort");
      },
    },
  ],
  [
    "rsort",
    {
      apply: (input, _args, cx) => {
        if (input === null || input === undefined) return null;
        const list = asList(input, "rsort");
        cx.charge(list.length);
        return sortable(list, "rsort").reverse();
      },
    },
  ],
  [
    "slice",
    { args: ["fromIndex", "toIndex"], apply: (input, args) => slice(input, args.fromIndex, args.toIndex) },
  ],
  [
    "keys",
    {
      apply: (input) => {
        if (input === null || input === undefined) return null;
        if (isMap(input)) return Object.keys(input).filter((k) => getOwn(input, k) !== MISSING);
        if (isList(input)) return input.map((_, i) => i);
        throw new ExpressionError(
          `'keys' filter can only be applied to List, Map, Array. Actual type was: ${typeName(input)}`,
        );
      },
    },
  ],
  [
    "values",
    {
      apply: (input) => {
        if (input === null || input === undefined) return null;
        if (isMap(input)) return mapValues(input);
        if (isList(input)) return [...input];
        throw new ExpressionError(
          `'values' filter can only be applied to Map. Actual type was: ${typeName(input)}`,
        );
      },
    },
  ],
  [
    "chunk",
    {
      args: ["size"],
      apply: (input, args, cx) => {
        if (input === null || input === undefined) return null;
        if (args.size === undefined) throw new ExpressionError("'chunk' filter expects an argument 'size'.");
        const list = asList(input, "chunk");
        const size = requireInt(args.size, "'chunk' filter argument 'size'");
        if (size <= 0) throw new ExpressionError("'chunk' filter argument 'size' must be greater than 0");
        cx.charge(list.length);
        const out: unknown[][] = [];
        for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
        return out;
      },
    },
  ],
  [
    "flatten",
    {
      apply: (input, _args, cx) => {
        if (input === null || input === undefined) return null;
        if (!isList(input)) throw new ExpressionError("The 'flatten' filter can only be applied to lists.");
        const out = input.flatMap((v) => (isList(v) ? v : [v]));
        cx.charge(out.length);
        return out;
      },
    },
  ],
  [
    "distinct",
    {
      apply: (input, _args, cx) => {
        if (input === null || input === undefined) return null;
        const list = asList(input, "distinct");
        cx.charge(list.length * list.length);
        const out: unknown[] = [];
        for (const v of list) if (!out.some((o) => equals(o, v))) out.push(v);
        return out;
      },
    },
  ],
];
