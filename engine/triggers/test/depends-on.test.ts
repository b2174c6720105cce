import { describe, expect, it } from "vitest";
import type { TriggeringExecution } from "../../plugin/types";
import { type DependsOn, dependsOnWindowAt, recordDependsOn } from "../depends-on";
import { MemoryPreconditionStore } from "../preconditions";

const at = (iso: string) => new Date(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("dependsOnWindowAt (Kestra 2.0 window kinds)", () => {
  it("defaults to one day from midnight UTC", () => {
    const w = dependsOnWindowAt(undefined, at("2026-03-10T15:00:00Z"));
    expect([iso(w.start), iso(w.end)]).toEqual(["2026-03-10T00:00:00.000Z", "2026-03-11T00:00:00.000Z"]);
  });

  it("every/offset: fixed windows aligned on midnight plus the offset", () => {
    const w = dependsOnWindowAt({ every: "P1D", offset: "PT6H" }, at("2026-03-10T03:00:00Z"));
    expect([iso(w.start), iso(w.end)]).toEqual(["2026-03-09T06:00:00.000Z", "2026-03-10T06:00:00.000Z"]);
    const hourly = dependsOnWindowAt({ every: "PT1H" }, at("2026-03-10T15:42:00Z"));
    expect([iso(hourly.start), iso(hourly.end)]).toEqual([
      "2026-03-10T15:00:00.000Z",
      "2026-03-10T16:00:00.000Z",
    ]);
  });

  it("deadline and from/to are read in the window's time zone", () => {
    const d = dependsOnWindowAt(
      { deadline: "09:00:00", timezone: "Europe/Paris" },
      at("2026-07-01T05:00:00Z"),
    );
    // Paris is UTC+2 in July: midnight is 22:00 the day before, 09:00 is 07:00 UTC.
    expect([iso(d.start), iso(d.end)]).toEqual(["2026-06-30T22:00:00.000Z", "2026-07-01T07:00:00.000Z"]);
    const r = dependsOnWindowAt({ from: "08:00", to: "18:00" }, at("2026-07-01T12:00:00Z"));
    expect([iso(r.start), iso(r.end)]).toEqual(["2026-07-01T08:00:00.000Z", "2026-07-01T18:00:00.000Z"]);
  });

  it("lookback slides with now", () => {
    const w = dependsOnWindowAt({ lookback: "PT2H" }, at("2026-03-10T15:00:00Z"));
    expect(iso(w.start)).toBe("2026-03-10T13:00:00.000Z");
  });
});

const upstream = (flowId: string, over: Partial<TriggeringExecution> = {}): TriggeringExecution => ({
  id: `${flowId}-1`,
  namespace: "t",
  flowId,
  flowRevision: 1,
  state: "SUCCESS",
  labels: [],
  outputs: { from: flowId },
  ...over,
});

const render = async (template: unknown) =>
  typeof template === "string" ? template.replace(/\{\{\s*|\s*\}\}/g, "") : template;

describe("recordDependsOn", () => {
  const trigger = (over: Partial<DependsOn> = {}): DependsOn => ({
    dependsOn: [
      { namespace: "t", flowId: "a", states: ["SUCCESS"] },
      { namespace: "t", flowId: "b" },
      { namespace: "t", flowId: "c" },
    ],
    window: { lookback: "PT1H" },
    ...over,
  });

  it("ALL fires once every dependency is met in the window, with each upstream's outputs scoped, then resets", async () => {
    const store = new MemoryPreconditionStore();
    const rec = (flowId: string, time: string, o?: Partial<TriggeringExecution>) =>
      recordDependsOn("k", trigger(), upstream(flowId, o), at(time), store, render);
    expect((await rec("a", "2026-01-01T10:00:00Z")).fired).toBe(false);
    expect((await rec("b", "2026-01-01T10:10:00Z")).fired).toBe(false);
    const done = await rec("c", "2026-01-01T10:20:00Z");
    expect(done).toEqual({
      fired: true,
      scopedOutputs: { a: { from: "a" }, b: { from: "b" }, c: { from: "c" } },
    });
    expect(await store.get("k")).toBeUndefined();
    expect((await rec("c", "2026-01-01T10:30:00Z")).fired).toBe(false);
  });

  it("forgets what left the window and what did not match states", async () => {
    const store = new MemoryPreconditionStore();
    const rec = (flowId: string, time: string, o?: Partial<TriggeringExecution>) =>
      recordDependsOn("k", trigger(), upstream(flowId, o), at(time), store, render);
    await rec("a", "2026-01-01T08:00:00Z");
    await rec("a", "2026-01-01T10:05:00Z", { state: "FAILED" });
    await rec("b", "2026-01-01T10:10:00Z");
    expect((await rec("c", "2026-01-01T10:20:00Z")).fired).toBe(false);
  });

  it("ANY fires on one; AT_LEAST on minSatisfied", async () => {
    const any = new MemoryPreconditionStore();
    expect(
      (
        await recordDependsOn(
          "k",
          trigger({ mode: "ANY" }),
          upstream("b"),
          at("2026-01-01T10:00:00Z"),
          any,
          render,
        )
      ).fired,
    ).toBe(true);
    const least = new MemoryPreconditionStore();
    const t = trigger({ mode: "AT_LEAST", minSatisfied: 2 });
    expect(
      (await recordDependsOn("k", t, upstream("b"), at("2026-01-01T10:00:00Z"), least, render)).fired,
    ).toBe(false);
    expect(
      (await recordDependsOn("k", t, upstream("c"), at("2026-01-01T10:01:00Z"), least, render)).fired,
    ).toBe(true);
  });

  it("labels and when must hold", async () => {
    const store = new MemoryPreconditionStore();
    const t: DependsOn = {
      dependsOn: [{ flowId: "a", labels: { team: "data", v: 2 }, when: "{{ false }}" }],
      mode: "ANY",
    };
    const labelled = upstream("a", {
      labels: [
        { key: "team", value: "data" },
        { key: "v", value: "2" },
      ],
    });
    expect((await recordDependsOn("k", t, labelled, at("2026-01-01T10:00:00Z"), store, render)).fired).toBe(
      false,
    );
    const truthy: DependsOn = { ...t, dependsOn: [{ ...t.dependsOn[0], when: "{{ true }}" }] };
    expect(
      (await recordDependsOn("k", truthy, upstream("a"), at("2026-01-01T10:00:00Z"), store, render)).fired,
    ).toBe(false);
    expect(
      (await recordDependsOn("k", truthy, labelled, at("2026-01-01T10:00:00Z"), store, render)).fired,
    ).toBe(true);
  });
});
