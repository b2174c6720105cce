import { describe, expect, it } from "vitest";
import type { PurgeService, TaskServices } from "@/engine/plugin";
import { MemoryKvStore } from "./kv/memory";
import {
  defaultNamespaceAccess,
  guardServices,
  NamespaceDeniedError,
  namespaceOfFileUri,
  reaches,
} from "./namespace-access";

describe("the namespace rule", () => {
  it.each([
    ["finance", "finance", [], true],
    ["finance.payroll", "finance", [], true],
    ["finance", "finance.payroll", [], false],
    ["financex", "finance", [], false],
    ["company.team", "finance", [], false],
    ["company.team", "finance", ["company.team"], true],
    ["company.team.sub", "finance", ["company.team"], true],
    ["company", "finance", ["company.team"], false],
    ["anything", "finance", ["*"], true],
  ] as const)("%s reaches %s (allowed %j): %s", (from, target, allowed, expected) => {
    expect(reaches(from, target, allowed)).toBe(expected);
  });

  it("finds the namespace of a namespace-file URI, and none in other URIs", () => {
    expect(namespaceOfFileUri("kestra:///finance/payroll/_files/a/b.sql")).toBe("finance.payroll");
    expect(namespaceOfFileUri("kestra:///finance/_files/")).toBe("finance");
    expect(namespaceOfFileUri("kestra:///finance/flow/executions/x/out.txt")).toBeUndefined();
  });
});

describe("guarded task services", () => {
  it("refuse another namespace's KV with the message naming the setting, and allow an ancestor's", async () => {
    const kv = new MemoryKvStore(() => 0);
    await kv.set("finance", "k", "v");
    await kv.set("company", "k", "parent");
    const services = guardServices({ kv } as TaskServices, defaultNamespaceAccess, "company.team");
    await expect(services.kv?.get("finance", "k")).rejects.toThrow(
      "namespace 'company.team' may not reach 'finance': add it to finance's allowed namespaces",
    );
    await expect(services.kv?.set("finance", "k", "x")).rejects.toBeInstanceOf(NamespaceDeniedError);
    expect(await services.kv?.get("company", "k")).toEqual({ value: "parent" });
    expect(await kv.get("finance", "k")).toEqual({ value: "v" });
  });

  it("scope a purge without a namespace to the flow's own, and delete only executions they listed", async () => {
    const seen: unknown[] = [];
    let logNamespaces = ["company.team"];
    const purge: PurgeService = {
      logNamespaces: async () => logNamespaces,
      deleteLogs: async (filter) => {
        seen.push(filter);
        return 0;
      },
      endedExecutions: async () => [{ id: "e1", namespace: "company.team", flowId: "f", state: "SUCCESS" }],
      deleteExecutionLogs: async () => 0,
      countExecutionMetrics: async () => 0,
      deleteExecutions: async (ids) => ids.length,
    };
    const services = guardServices({ purge } as TaskServices, defaultNamespaceAccess, "company.team");
    await services.purge?.deleteLogs({ endDate: "2030-01-01T00:00:00Z" });
    expect(seen).toEqual([{ endDate: "2030-01-01T00:00:00Z", namespace: "company.team" }]);
    // Its own tree may hold a child it may not reach (the default rule): then nothing is purged.
    logNamespaces = ["company.team", "company.team.private"];
    await expect(services.purge?.deleteLogs({ endDate: "2030-01-01T00:00:00Z" })).rejects.toThrow(
      "may not reach 'company.team.private'",
    );
    expect(seen).toHaveLength(1);
    await expect(services.purge?.deleteExecutions(["not-listed"])).rejects.toThrow("was not listed");
    await services.purge?.endedExecutions({ endDate: "2030-01-01T00:00:00Z" }, 10);
    expect(await services.purge?.deleteExecutions(["e1"])).toBe(1);
  });

  it("give the task a reach check with the same rule, for tasks that find their targets themselves", async () => {
    const services = guardServices({} as TaskServices, defaultNamespaceAccess, "company.team");
    await expect(services.reach?.check("company")).resolves.toBeUndefined();
    await expect(services.reach?.check("company.team.private")).rejects.toBeInstanceOf(NamespaceDeniedError);
  });
});
