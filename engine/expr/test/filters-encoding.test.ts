import { describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64, hashHex, utf8 } from "../hashes/index";
import { err, r } from "./helpers";

describe("hash filters match known vectors", () => {
  it.each([
    ["md5", "", "d41d8cd98f00b204e9800998ecf8427e"],
    ["md5", "abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["md5", "The quick brown fox jumps over the lazy dog", "9e107d9d372bb6826bd81d3542a419d6"],
    ["sha1", "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"],
    ["sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["sha1", "The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"],
    ["sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["sha256", "test", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    [
      "sha512",
      "abc",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
    ],
    [
      "sha512",
      "",
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    ],
  ] as const)("%s(%j)", (algo, input, expected) => {
    expect(hashHex(algo, input)).toBe(expected);
  });

  it.each([
    ["{{ 'test' | sha256 }}", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    ["{{ 'abc' | sha1 }}", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["{{ 'abc' | md5 }}", "900150983cd24fb0d6963f7d28e17f72"],
    ["{{ 'héllo €' | md5 }}", "6a1950b864488746748ba6312d3ce712"],
    ["{{ ('a' ~ 'bc') | sha512 | length }}", "128"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("hashes multi-block inputs", () => {
    const long = "a".repeat(1000);
    expect(hashHex("sha256", long)).toBe("41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
    expect(hashHex("sha1", long)).toBe("291e9a6c66994949b57ba5e650361e98fc36b1ba");
    expect(hashHex("md5", long)).toBe("cabe45dcc9ae5b66ba86600cca6b8ba8");
  });
});

describe("base64 and URL encoding", () => {
  it.each([
    ["{{ 'test' | base64encode }}", "dGVzdA=="],
    ["{{ 'dGVzdA==' | base64decode }}", "test"],
    ["{{ 'dGVzdA' | base64decode }}", "test"],
    ["{{ 'héllo' | base64encode | base64decode }}", "héllo"],
    ["{{ 'ab' | base64encode }}", "YWI="],
    ["{{ 'abc' | base64encode }}", "YWJj"],
    ["{{ 'The string ü@foo-bar' | urlencode }}", "The+string+%C3%BC%40foo-bar"],
    ["{{ 'a*b.c_d~e' | urlencode }}", "a*b.c_d%7Ee"],
    ["{{ 'The+string+%C3%BC%40foo-bar' | urldecode }}", "The string ü@foo-bar"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("round-trips arbitrary bytes", () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    expect([...decodeBase64(encodeBase64(bytes))]).toEqual([...bytes]);
    expect(encodeBase64(utf8("Man"))).toBe("TWFu");
  });

  it.each([
    ["{{ 'not base64!' | base64decode }}", "Illegal base64 character"],
    ["{{ '%zz' | urldecode }}", "Illegal hex characters"],
  ])("%j fails with %j", (tpl, message) => {
    expect(err(tpl).message).toContain(message);
  });
});
