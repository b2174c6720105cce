/** Encodings and digests: base64, URL encoding (Java's URLEncoder/URLDecoder), sha1/sha256/sha512/md5. */
import { ExpressionError } from "../errors";
import { decodeBase64, encodeBase64, fromUtf8, type HashName, hashHex, utf8 } from "../hashes/index";
import type { FilterDef } from "../registry";
import { asString } from "./util";

/** application/x-www-form-urlencoded, UTF-8: unreserved are A-Z a-z 0-9 . - * _ and space becomes '+'. */
export function urlEncode(s: string): string {
  let out = "";
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9.\-*_]/.test(c)) out += c;
    else if (b === 0x20) out += "+";
    else out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function urlDecode(s: string): string {
  const bytes: number[] = [];
  let out = "";
  const flush = () => {
    if (bytes.length > 0) {
      out += fromUtf8(new Uint8Array(bytes));
      bytes.length = 0;
    }
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "%") {
      const hex = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        throw new ExpressionError("URLDecoder: Illegal hex characters in escape (%) pattern");
      }
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out += c === "+" ? " " : c;
    }
  }
  flush();
  return out;
}

function textFilter(name: string, f: (s: string) => string): [string, FilterDef] {
  return [
    name,
    { apply: (input) => (input === null || input === undefined ? null : f(asString(input, name))) },
  ];
}

function hashFilter(name: HashName): [string, FilterDef] {
  return textFilter(name, (s) => hashHex(name, s));
}

export const ENCODING_FILTERS: Array<[string, FilterDef]> = [
  textFilter("base64encode", (s) => encodeBase64(utf8(s))),
  textFilter("base64decode", (s) => fromUtf8(decodeBase64(s))),
  textFilter("urlencode", urlEncode),
  textFilter("urldecode", urlDecode),
  hashFilter("sha1"),
  hashFilter("sha256"),
  hashFilter("sha512"),
  hashFilter("md5"),
];
