import { describe, expect, it } from "vitest";
import { archive, cacheUri, expired, unarchive } from "./working-directory-cache";

describe("WorkingDirectory cache", () => {
  it("lives under the namespace, flow and task, a loop's value hashed below (Kestra's getCacheURI)", () => {
    expect(cacheUri("company.team", "etl", "wdir")).toBe("kestra:///company/team/etl/wdir/cache/cache.zip");
    const a = cacheUri("company.team", "etl", "wdir", "a");
    expect(a).toMatch(/^kestra:\/\/\/company\/team\/etl\/wdir\/cache\/[0-9a-f]{32}\/cache\.zip$/);
    expect(cacheUri("company.team", "etl", "wdir", "../../x")).not.toContain("..");
    expect(a).not.toBe(cacheUri("company.team", "etl", "wdir", "b"));
  });

  it("expires after its ttl only", () => {
    const written = new Date("2024-01-01T00:00:00Z");
    expect(expired("PT5m", written, new Date("2024-01-01T00:04:59Z"))).toBe(false);
    expect(expired("PT5m", written, new Date("2024-01-01T00:05:01Z"))).toBe(true);
    expect(expired(undefined, written, new Date("2030-01-01T00:00:00Z"))).toBe(false);
    expect(expired("PT1S", undefined, new Date())).toBe(false);
  });

  it("round-trips files through a zip archive, directories left out", () => {
    const files = { "a.txt": new TextEncoder().encode("a"), "deep/b.bin": new Uint8Array([0, 1, 2]) };
    const back = unarchive(archive(files));
    expect(Object.keys(back).sort()).toEqual(["a.txt", "deep/b.bin"]);
    expect(new TextDecoder().decode(back["a.txt"])).toBe("a");
    expect([...(back["deep/b.bin"] ?? [])]).toEqual([0, 1, 2]);
  });
});
