/** String filters: Pebble core (abbreviate, capitalize, title, upper, lower, trim, split, default) and Kestra's. */
import { ExpressionError } from "../errors";
import { javaSplit, replaceAllBounded } from "../regex";
import {
  type BoundArgs,
  type CallContext,
  type FilterDef,
  has,
  requireInt,
  requireString,
} from "../registry";
import { isList, isMap, type PlainMap, setOwn } from "../values";
import { asString } from "./util";

function stringFilter(name: string, f: (s: string) => string): [string, FilterDef] {
  return [
    name,
    { apply: (input) => (input === null || input === undefined ? null : f(asString(input, name))) },
  ];
}

/** Java's String.trim: strips every character up to U+0020 at both ends. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 32) start++;
  while (end > start && s.charCodeAt(end - 1) <= 32) end--;
  return s.slice(start, end);
}

function capitalize(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (!/\s/.test(s[i]!)) return s.slice(0, i) + s[i]!.toUpperCase() + s.slice(i + 1);
  }
  return s;
}

function title(s: string): string {
  let out = "";
  let next = true;
  for (const c of s) {
    if (/\s/.test(c)) {
      next = true;
      out += c;
    } else if (next) {
      out += c.toUpperCase();
      next = false;
    } else {
      out += c;
    }
  }
  return out;
}

function abbreviate(input: unknown, args: BoundArgs): unknown {
  if (input === null || input === undefined) return null;
  const value = asString(input, "abbreviate");
  const max = requireInt(args.length, "The 'abbreviate' length");
  if (max < 0) throw new ExpressionError("Invalid argument to abbreviate filter; must be greater than zero");
  if (value.length < max || value.length <= 3) return value;
  if (max <= 3) return value.slice(0, max);
  return `${value.slice(0, max - 3)}...`;
}

/** Kestra's Slugify: whitespace to '-', accents dropped, non-word characters removed, lowercase. */
export function slugify(input: string): string {
  let slug = input
    .replace(/\s/g, "-")
    .normalize("NFD")
    .replace(/[^A-Za-z0-9_-]/g, "")
    .replace(/_/g, "-");
  while (slug.includes("--")) slug = slug.replace(/--/g, "-");
  slug = slug.replace(/^-/, "").replace(/-$/, "");
  return slug.toLowerCase();
}

function replaceString(s: string, pairs: PlainMap, regexp: boolean, cx: CallContext): string {
  let data = s;
  for (const key of Object.keys(pairs)) {
    const replacement = asString(pairs[key] ?? "null", "replace");
    data = replaceAllBounded(data, key, replacement, regexp, cx.maxOutputLength);
  }
  return data;
}

function replaceDeep(v: unknown, pairs: PlainMap, regexp: boolean, cx: CallContext, depth: number): unknown {
  if (depth > 100) throw new ExpressionError("value is too deeply nested");
  cx.charge(1);
  if (typeof v === "string") return replaceString(v, pairs, regexp, cx);
  if (isList(v)) return v.map((x) => replaceDeep(x, pairs, regexp, cx, depth + 1));
  if (isMap(v)) {
    const out: PlainMap = {};
    for (const k of Object.keys(v)) setOwn(out, k, replaceDeep(v[k], pairs, regexp, cx, depth + 1));
    return out;
  }
  return replaceString(asString(v, "replace"), pairs, regexp, cx);
}

function indent(kind: "indent" | "nindent") {
  return (input: unknown, args: BoundArgs, cx: CallContext): unknown => {
    if (input === null || input === undefined) return null;
    const s = asString(input, kind);
    if (s === "") return s;
    if (!has(args, "amount"))
      throw new ExpressionError(`The '${kind}' filter expects an integer as argument 'amount'.`);
    const amount = requireInt(args.amount, `The '${kind}' amount`);
    if (amount < 0)
      throw new ExpressionError(`The '${kind}' filter expects a positive integer >=0 as argument 'amount'.`);
    const prefix = has(args, "prefix") ? requireString(args.prefix, `The '${kind}' prefix`) : " ";
    cx.checkLength(prefix.length * amount);
    const newLine = s.includes("\r\n")
      ? "\r\n"
      : s.includes("\n\r")
        ? "\n\r"
        : s.includes("\r") && !s.includes("\n")
          ? "\r"
          : "\n";
    const pad = prefix.repeat(amount);
    const lines = (kind === "nindent" ? newLine + s : s).split(newLine);
    cx.checkLength(s.length + lines.length * pad.length);
    return lines.join(newLine + pad);
  };
}

function substring(name: string, pick: (s: string, sep: string) => string): [string, FilterDef] {
  return [
    name,
    {
      args: ["separator"],
      apply: (input, args) => {
        if (input === null || input === undefined) return null;
        const s = asString(input, name);
        const sep = args.separator;
        if (sep === null || sep === undefined) return name.startsWith("substringBefore") ? s : "";
        return pick(s, asString(sep, name));
      },
    },
  ];
}

export const STRING_FILTERS: Array<[string, FilterDef]> = [
  ["abbreviate", { args: ["length"], apply: abbreviate }],
  stringFilter("capitalize", capitalize),
  stringFilter("title", title),
  stringFilter("upper", (s) => s.toUpperCase()),
  stringFilter("lower", (s) => s.toLowerCase()),
  stringFilter("trim", javaTrim),
  stringFilter("slugify", slugify),
  [
    "default",
    {
      args: ["default"],
      apply: (input, args) => {
        const empty =
          input === null ||
          input === undefined ||
          (typeof input === "string" && input.trim() === "") ||
          (isList(input) && input.length === 0) ||
          (isMap(input) && Object.keys(input).length === 0);
        return empty ? (args.default ?? null) : input;
      },
    },
  ],
  [
    "replace",
    {
      args: ["replace_pairs", "regexp"],
      apply: (input, args, cx) => {
        if (input === null || input === undefined) return null;
        const pairs = args.replace_pairs;
        if (pairs === null || pairs === undefined)
          throw new ExpressionError("The argument 'replace_pairs' is required.");
        if (!isMap(pairs)) throw new ExpressionError("The argument 'replace_pairs' must be a map");
        const regexp = args.regexp === true;
        return replaceDeep(input, pairs, regexp, cx, 0);
      },
    },
  ],
  [
    "split",
    {
      args: ["delimiter", "limit"],
      apply: (input, args, cx) => {
        if (input === null || input === undefined) return null;
        const delimiter = args.delimiter;
        if (delimiter === null || delimiter === undefined) {
          throw new ExpressionError("missing delimiter parameter in split filter");
        }
        const limit =
          args.limit === null || args.limit === undefined ? 0 : requireInt(args.limit, "The split limit");
        const parts = javaSplit(
          asString(input, "split"),
          requireString(delimiter, "The split delimiter"),
          limit,
        );
        cx.charge(parts.length);
        return parts;
      },
    },
  ],
  [
    "startsWith",
    {
      args: ["value"],
      apply: (input, args) =>
        input === null || input === undefined
          ? null
          : asString(input, "startsWith").startsWith(asString(args.value, "startsWith")),
    },
  ],
  [
    "endsWith",
    {
      args: ["value"],
      apply: (input, args) =>
        input === null || input === undefined
          ? null
          : asString(input, "endsWith").endsWith(asString(args.value, "endsWith")),
    },
  ],
  substring("substringBefore", (s, sep) => {
    if (sep === "") return "";
    const i = s.indexOf(sep);
    return i === -1 ? s : s.slice(0, i);
  }),
  substring("substringAfter", (s, sep) => {
    if (sep === "") return s;
    const i = s.indexOf(sep);
    return i === -1 ? "" : s.slice(i + sep.length);
  }),
  substring("substringBeforeLast", (s, sep) => {
    if (sep === "") return s;
    const i = s.lastIndexOf(sep);
    return i === -1 ? s : s.slice(0, i);
  }),
  substring("substringAfterLast", (s, sep) => {
    if (sep === "") return "";
    const i = s.lastIndexOf(sep);
    return i === -1 || i === s.length - sep.length ? "" : s.slice(i + sep.length);
  }),
  [
    "escapeChar",
    {
      args: ["type"],
      apply: (input, args, cx) => {
        if (input === null || input === undefined) return null;
        if (args.type === undefined)
          throw new ExpressionError("The 'escapeChar' filter expects an argument 'type'.");
        const type = String(args.type).toLowerCase();
        const replacement =
          type === "single" ? "\\'" : type === "double" ? '\\"' : type === "shell" ? "'\\''" : undefined;
        if (replacement === undefined) {
          throw new ExpressionError(
            "The 'escapeChar' filter expects the value of 'type' to be either 'single', 'double', or 'shell'.",
          );
        }
        const quote = type === "double" ? '"' : "'";
        return replaceDeep(input, { [quote]: replacement }, false, cx, 0);
      },
    },
  ],
  ["indent", { args: ["amount", "prefix"], apply: indent("indent") }],
  ["nindent", { args: ["amount", "prefix"], apply: indent("nindent") }],
  // Kestra turns autoescaping off and removes these two; they stay as harmless no-ops.
  ["escape", { args: ["strategy"], apply: (input) => input }],
  ["raw", { apply: (input) => input }],
];
