import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDirs } from "@/test/temp-dirs";
import { LocalStorage } from "./local";
import { tenantStorage } from "./tenant";

const tempDir = tempDirs("cadenza-storage");
const newStorage = () => {
  const dir = tempDir();
  return { dir, storage: new LocalStorage(join(dir, "storage")) };
};

describe("LocalStorage", () => {
  it("round-trips files under the root, mapped from the URI path", async () => {
    const { dir, storage } = newStorage();
    const uri = "kestra:///company/team/flow/executions/e1/tasks/t/r1/data+file.csv";
    expect(await storage.put(uri, "a,b\n1,2\n")).toBe(uri);
    expect(
      readFileSync(join(dir, "storage/company/team/flow/executions/e1/tasks/t/r1/data+file.csv"), "utf8"),
    ).toBe("a,b\n1,2\n");
    expect(new TextDecoder().decode(await storage.get(uri))).toBe("a,b\n1,2\n");
    expect(await storage.exists(uri)).toBe(true);
    expect(await storage.size(uri)).toBe(8);
    await storage.put(uri, new Uint8Array([1, 2, 3]));
    expect(await storage.size(uri)).toBe(3);
    expect(await storage.delete(uri)).toBe(true);
    expect(await storage.delete(uri)).toBe(false);
    expect(await storage.exists(uri)).toBe(false);
    await expect(storage.get(uri)).rejects.toThrow(`file not found in internal storage: ${uri}`);
    await expect(storage.size(uri)).rejects.toThrow("file not found");
  });

  it("writes a file where only an emptied directory is left, and refuses one that still holds files", async () => {
    const { storage } = newStorage();
    await storage.put("kestra:///ns/_files/a/b.txt", "inner");
    await storage.delete("kestra:///ns/_files/a/b.txt");
    // The directory `a` is left behind, empty: a file may now take its name (put and write alike).
    await storage.put("kestra:///ns/_files/a", "now a file");
    expect(new TextDecoder().decode(await storage.get("kestra:///ns/_files/a"))).toBe("now a file");
    await storage.put("kestra:///ns/_files/c/d.txt", "inner");
    await storage.delete("kestra:///ns/_files/c/d.txt");
    await storage.write(
      "kestra:///ns/_files/c",
      (async function* () {
        yield new TextEncoder().encode("streamed");
      })(),
    );
    expect(await storage.exists("kestra:///ns/_files/c")).toBe(true);
    await storage.put("kestra:///ns/_files/e/f.txt", "kept");
    await expect(storage.put("kestra:///ns/_files/e", "x")).rejects.toThrow(/ENOTEMPTY|EEXIST/);
    expect(await storage.exists("kestra:///ns/_files/e/f.txt")).toBe(true);
  });

  it("lists by URI prefix, sorted, also for prefixes that end inside a name", async () => {
    const { storage } = newStorage();
    for (const uri of [
      "kestra:///ns/_files/a.txt",
      "kestra:///ns/_files/dir/b.txt",
      "kestra:///ns/_files/dir/c.txt",
      "kestra:///ns/flow/executions/e/x",
      "kestra:///other/y",
    ]) {
      await storage.put(uri, "x");
    }
    expect(await storage.list("kestra:///ns/_files/")).toEqual([
      "kestra:///ns/_files/a.txt",
      "kestra:///ns/_files/dir/b.txt",
      "kestra:///ns/_files/dir/c.txt",
    ]);
    expect(await storage.list("kestra:///ns/_files/dir/b")).toEqual(["kestra:///ns/_files/dir/b.txt"]);
    expect(await storage.list("kestra:///ns/")).toHaveLength(4);
    expect(await storage.list("kestra:///")).toHaveLength(5);
    expect(await storage.list("kestra:///missing/")).toEqual([]);
  });

  it.each([
    "kestra:///../outside.txt",
    "kestra:///a/../../outside.txt",
    "kestra:///a/./b",
    "kestra:///a//b",
    "kestra:///a\\..\\..\\b",
    "kestra:///a/b\0c",
    "file:///etc/passwd",
    "kestra://host/a",
  ])("refuses %j, which would leave the root or is not an internal URI", async (uri) => {
    const { dir, storage } = newStorage();
    await expect(storage.put(uri, "x")).rejects.toThrow(/internal storage URI/);
    await expect(storage.get(uri)).rejects.toThrow(/internal storage URI/);
    expect(existsSync(join(dir, "outside.txt"))).toBe(false);
  });

  it("keeps percent-encoded names as they are (no decoding into a path separator)", async () => {
    const { dir, storage } = newStorage();
    await storage.put("kestra:///a/x%2F..%2F..%2Fy", "z");
    expect(readFileSync(join(dir, "storage/a/x%2F..%2F..%2Fy"), "utf8")).toBe("z");
  });

  it("does not list files being written", async () => {
    const { dir, storage } = newStorage();
    await storage.put("kestra:///a/done.txt", "x");
    writeFileSync(join(dir, "storage/a/.cadenza-part-0123456789ab"), "partial");
    expect(await storage.list("kestra:///a/")).toEqual(["kestra:///a/done.txt"]);
  });
});

describe("LocalStorage streaming", () => {
  it("writes a file from chunks and reads it back in chunks, through a tenant's view too", async () => {
    const { dir, storage } = newStorage();
    const tenant = tenantStorage(storage, "acme");
    const uri = "kestra:///company/team/flow/executions/e1/big.txt";
    async function* chunks() {
      for (let i = 0; i < 100; i++) yield new TextEncoder().encode(`${String(i).padStart(9999, "x")}\n`);
    }
    expect(await tenant.write?.(uri, chunks())).toBe(uri);
    const onDisk = readFileSync(join(dir, "storage/acme/company/team/flow/executions/e1/big.txt"), "utf8");
    expect(onDisk.length).toBe(1_000_000);
    const read: Uint8Array[] = [];
    for await (const chunk of tenant.read?.(uri) ?? []) read.push(chunk);
    expect(read.length).toBeGreaterThan(1);
    expect(Buffer.concat(read).toString("utf8")).toBe(onDisk);
  });

  it("leaves nothing behind when the source fails, and reads a missing file as not found", async () => {
    const { storage } = newStorage();
    const uri = "kestra:///ns/flow/broken.txt";
    async function* failing() {
      yield new TextEncoder().encode("partial");
      throw new Error("source broke");
    }
    await expect(storage.write(uri, failing())).rejects.toThrow("source broke");
    expect(await storage.list("kestra:///ns/")).toEqual([]);
    expect(await storage.exists(uri)).toBe(false);
    const reading = async () => {
      for await (const _ of storage.read(uri));
    };
    await expect(reading()).rejects.toThrow(`file not found in internal storage: ${uri}`);
  });
});

describe("tenantStorage", () => {
  it("keeps each tenant's files apart under the same Kestra URIs", async () => {
    const { dir, storage } = newStorage();
    const a = tenantStorage(storage, "acme");
    const b = tenantStorage(storage, "globex");
    const uri = "kestra:///company/team/_files/main.py";
    expect(await a.put(uri, "print('a')")).toBe(uri);
    expect(await b.exists(uri)).toBe(false);
    await b.put(uri, "print('b')");
    expect(new TextDecoder().decode(await a.get(uri))).toBe("print('a')");
    expect(readFileSync(join(dir, "storage/globex/company/team/_files/main.py"), "utf8")).toBe("print('b')");
    expect(await a.list("kestra:///company/")).toEqual([uri]);
    expect(await a.delete(uri)).toBe(true);
    expect(await b.size(uri)).toBe(10);
    await expect(a.get("kestra:///../globex/company/team/_files/main.py")).rejects.toThrow(
      "invalid internal storage URI",
    );
    expect(() => tenantStorage(storage, "../x")).toThrow("invalid tenant id");
  });
});
