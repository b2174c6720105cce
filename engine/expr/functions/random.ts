/** uuid(), id() and randomInt(), driven by the render's `random` source so tests can fix it. */
import { ExpressionError } from "../errors";
import type { CallContext, FunctionDef } from "../registry";
import { isNumber, num } from "../values";

function randomBytes(cx: CallContext, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(cx.random() * 256) & 0xff;
  return out;
}

/** A version 7 UUID (Unix-millisecond timestamp then random bits), what Kestra's uuid() returns. */
export function uuidV7(cx: CallContext): string {
  const bytes = randomBytes(cx, 16);
  let ms = Math.max(0, Math.floor(cx.now().getTime()));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Kestra's IdUtils.create(): a random UUID written in base 62 (22 characters). */
export function kestraId(cx: CallContext): string {
  const bytes = randomBytes(cx, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = "";
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(22, "0");
}

function longArg(v: unknown, name: string): number {
  if (v === undefined) throw new ExpressionError(`The 'randomInt()' function expects an argument ${name}`);
  if (!isNumber(v) || !Number.isInteger(num(v))) {
    throw new ExpressionError(`The 'randomInt()' function expects an argument ${name} of type Long.`);
  }
  return num(v);
}

export const RANDOM_FUNCTIONS: Array<[string, FunctionDef]> = [
  ["uuid", { args: [], apply: (_a, cx) => uuidV7(cx) }],
  ["id", { args: [], apply: (_a, cx) => kestraId(cx) }],
  [
    "randomInt",
    {
      args: ["lower", "upper"],
      apply: (a, cx) => {
        const lower = longArg(a.lower, "lower");
        const upper = longArg(a.upper, "upper");
        if (upper < lower) throw new ExpressionError("In 'randomIn()' upper is less than lower");
        return Math.floor(cx.random() * (upper - lower)) + lower;
      },
    },
  ],
];
