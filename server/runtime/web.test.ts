import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertPortFree, buildState, ensureBuild, hasBuild, startWebServer } from "./web";

describe("assertPortFree", () => {
  it("passes for a free port and fails in one line for a taken one", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await expect(assertPortFree(port, "127.0.0.1")).rejects.toThrow(
        `Port ${port} is already in use on 127.0.0.1: stop what listens there, or choose another port with PORT=<port>.`,
      );
      // Listening on all interfaces conflicts with a listener on one of them.
      await expect(assertPortFree(port)).rejects.toThrow(`Port ${port} is already in use:`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    await expect(assertPortFree(port, "127.0.0.1")).resolves.toBeUndefined();
  });

  it("explains a HOST that is not an address of this machine", async () => {
    await expect(assertPortFree(4000, "192.0.2.1")).rejects.toThrow(
      "Cannot listen on 192.0.2.1:4000: 192.0.2.1 is not an address of this machine; fix HOST.",
    );
  });
});

describe("builds", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it("knows whether a build exists", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cadenza-build-"));
    dirs.push(dir);
    expect(hasBuild(dir)).toBe(false);
    await mkdir(path.join(dir, ".next"));
    await writeFile(path.join(dir, ".next", "BUILD_ID"), "abc");
    expect(hasBuild(dir)).toBe(true);
  });

  it("calls a build stale when a source file is newer, ignoring tests and generated code", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cadenza-stale-"));
    dirs.push(dir);
    expect(buildState(dir)).toBe("missing");
    await mkdir(path.join(dir, "app"));
    await mkdir(path.join(dir, "server", "db", "generated"), { recursive: true });
    await writeFile(path.join(dir, "app", "page.tsx"), "");
    await writeFile(path.join(dir, "app", "page.test.ts"), "");
    await writeFile(path.join(dir, "server", "db", "generated", "client.ts"), "");
    await mkdir(path.join(dir, ".next"));
    await writeFile(path.join(dir, ".next", "BUILD_ID"), "abc");
    const built = new Date(Date.now() - 60_000);
    await utimes(path.join(dir, ".next", "BUILD_ID"), built, built);
    const before = new Date(built.getTime() - 60_000);
    await utimes(path.join(dir, "app", "page.tsx"), before, before);
    expect(buildState(dir)).toBe("current");
    expect(await ensureBuild({ dir, output: () => {} })).toBe("reused");
    await utimes(path.join(dir, "app", "page.tsx"), new Date(), new Date());
    expect(buildState(dir)).toBe("stale");
  });

  it("refuses to serve without a build", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "cadenza-nobuild-"));
    dirs.push(dir);
    await expect(startWebServer({ port: 1, dir })).rejects.toThrow("No build of the web app");
  });
});
