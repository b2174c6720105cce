/** Number filters: abs, number (Kestra), numberFormat (DecimalFormat), string (Kestra), className. */
import { decimalFormat } from "../decimal-format";
import { ExpressionError } from "../errors";
import { formatNumber } from "../format";
import type { FilterDef } from "../registry";
import { isNumber, JDouble, javaClassName, num, typeName } from "../values";

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(s: string, type: string): number | JDouble {
  const text = s;
  const fail = () => new ExpressionError(`For input string: "${text}"`);
  const hex = /^([+-])?0[xX]([0-9a-fA-F]+)$/.exec(text);
  switch (type) {
    case "INT":
    case "LONG":
    case "BIGINTEGER": {
      if (hex) return (hex[1] === "-" ? -1 : 1) * Number.parseInt(hex[2]!, 16);
      if (!/^[+-]?\d+$/.test(text)) throw fail();
      return Number(text);
    }
    case "FLOAT":
    case "DOUBLE":
    case "BIGDECIMAL": {
      if (!DECIMAL.test(text.trim())) throw fail();
      const n = Number(text);
      return Number.isInteger(n) ? new JDouble(n) : n;
    }
    case "":
      break;
    default:
      throw new ExpressionError(
        `Unknown number type '${type}' (use INT, LONG, FLOAT, DOUBLE, BIGDECIMAL or BIGINTEGER)`,
      );
  }
  if (hex) return (hex[1] === "-" ? -1 : 1) * Number.parseInt(hex[2]!, 16);
  if (/^[+-]?\d+[lL]?$/.test(text)) return Number(text.replace(/[lL]$/, ""));
  if (DECIMAL.test(text) || /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]$/.test(text)) {
    const n = Number(text.replace(/[fFdD]$/, ""));
    return Number.isInteger(n) ? new JDouble(n) : n;
  }
  throw new ExpressionError(`${text} is not a valid number.`);
}

/** Java's BigDecimal(String).toString(), for the string filter on numeric strings. */
function bigDecimalString(text: string): string {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) {
    throw new ExpressionError(
      `'string' filter expects a valid number. Received an invalid numeric string: ${text}`,
    );
  }
  const negative = m[1] === "-";
  const frac = m[3] ?? "";
  let digits = `${m[2]}${frac}`.replace(/^0+(?=\d)/, "");
  if (digits === "") digits = "0";
  const scale = frac.length - Number(m[4] ?? 0);
  const adjusted = -scale + (digits.length - 1);
  let body: string;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) body = digits;
    else if (digits.length > scale)
      body = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
    else body = `0.${"0".repeat(scale - digits.length)}${digits}`;
  } else {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${mantissa}E${adjusted >= 0 ? "+" : ""}${adjusted}`;
  }
  return negative ? `-${body}` : body;
}

export const NUMBER_FILTERS: Array<[string, FilterDef]> = [
  [
    "abs",
    {
      apply: (input) => {
        if (input === null || input === undefined) return null;
        if (!isNumber(input))
          throw new ExpressionError(`The 'abs' filter expects a number, got a ${typeName(input)}`);
        return Math.abs(num(input));
      },
    },
  ],
  [
    "number",
    {
      args: ["type"],
      apply: (input, args) => {
        if (input === null || input === undefined) return null;
        if (typeof input !== "string") {
          throw new ExpressionError(
            `'number' filter can only be applied to String. Actual type was: ${javaClassName(input)}`,
          );
        }
        const type = args.type === undefined || args.type === null ? "" : String(args.type).toUpperCase();
        return parseNumber(input, type);
      },
    },
  ],
  [
    "numberFormat",
    {
      args: ["format", "locale"],
      apply: (input, args) => {
        if (input === null || input === undefined) return null;
        if (!isNumber(input))
          throw new ExpressionError(`The 'numberFormat' filter expects a number, got a ${typeName(input)}`);
        if (typeof args.format !== "string")
          throw new ExpressionError("The 'numberFormat' filter expects a 'format' string");
        return decimalFormat(num(input), args.format);
      },
    },
  ],
  [
    "string",
    {
      apply: (input) => {
        if (input === null || input === undefined) return null;
        if (input instanceof JDouble) return `${formatNumber(input.value)}.0`;
        if (typeof input === "number") return formatNumber(input);
        if (typeof input === "string") return bigDecimalString(input);
        throw new ExpressionError(
          `'string' filter expects a Number (INT, FLOAT, DOUBLE, etc.) or numeric String. Received: ${javaClassName(input)}`,
        );
      },
    },
  ],
  ["className", { apply: (input) => (input === null || input === undefined ? null : javaClassName(input)) }],
];
NUMBER_FILTERS.push(["numberformat", NUMBER_FILTERS.find(([n]) => n === "numberFormat")![1]]);
