// The wire form of an operation's input (wire.ts): what a path segment or a query value becomes, and the
// route schemas made from an operation.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flowOperations } from "../operations/flows";
import { describeError } from "../services/errors";
import { labelText, PG_INT_MAX, page, repeated, revisionNumber, state } from "../services/schemas";
import { queryObject } from "./handler";
import { operationRoute } from "./route";
import { routeWire, wireField, wireOverride } from "./wire";

const where = "GET /test";
const query = (text: string) => queryObject(new URL(`http://x/?${text}`));

describe("wireField", () => {
  it("coerces a number from text and keeps its checks (int, min, max)", () => {
    const wire = wireField(revisionNumber, where);
    expect(wire.parse("7")).toBe(7);
    expect(wire.safeParse("0").success).toBe(false);
    expect(wire.safeParse("1.5").success).toBe(false);
    expect(wire.safeParse(String(PG_INT_MAX + 1)).success).toBe(false);
    expect(wire.safeParse("seven").success).toBe(false);
    expect(wire.parse(String(PG_INT_MAX))).toBe(PG_INT_MAX);
    // The input's own schema is left as it was: a number, not text.
    expect(revisionNumber.safeParse("7").success).toBe(false);
  });

  it("documents the bounds it checks", () => {
    const json = z.toJSONSchema(wireField(revisionNumber.optional(), where), { io: "input" });
    expect(json).toMatchObject({ type: "integer", minimum: 1, maximum: PG_INT_MAX });
  });

  it("accepts true/false/1/0 for a boolean, and nothing else", () => {
    const wire = wireField(z.boolean().optional(), where);
    expect(wire.parse("true")).toBe(true);
    expect(wire.parse("1")).toBe(true);
    expect(wire.parse("false")).toBe(false);
    expect(wire.parse("0")).toBe(false);
    expect(wire.parse(undefined)).toBeUndefined();
    expect(wire.safeParse("yes").success).toBe(false);
  });

  it("takes an array from one value or a repeated parameter, each item converted, its checks kept", () => {
    const wire = wireField(z.array(z.number().int().max(9)).max(2).optional(), where);
    expect(wire.parse("3")).toEqual([3]);
    expect(wire.parse(["3", "4"])).toEqual([3, 4]);
    expect(wire.parse(undefined)).toBeUndefined();
    expect(wire.safeParse(["10"]).success).toBe(false);
    expect(wire.safeParse(["1", "2", "3"]).success).toBe(false);
    const states = wireField(z.array(state).optional(), where);
    expect(states.parse(query("state=FAILED&state=KILLED").state)).toEqual(["FAILED", "KILLED"]);
    expect(states.safeParse("NOPE").success).toBe(false);
  });

  it("keeps optional and default wrappers: absent is undefined, or the default", () => {
    expect(wireField(z.number().optional(), where).parse(undefined)).toBeUndefined();
    expect(wireField(z.number().int().default(25), where).parse(undefined)).toBe(25);
    expect(wireField(z.number().int().default(25), where).parse("3")).toBe(3);
    expect(wireField(page.optional(), where).parse(undefined)).toBe(1);
    expect(wireField(z.number().nullable(), where).parse(null)).toBeNull();
  });

  it("leaves strings, enums and dates as the input has them (the same schema, with its description)", () => {
    const text = z.string().max(5).meta({ description: "Some text." });
    expect(wireField(text, where)).toBe(text);
    const optional = text.optional();
    expect(wireField(optional, where)).toBe(optional);
    const kind = z.enum(["a", "b"]);
    expect(wireField(kind, where)).toBe(kind);
    expect(wireField(z.coerce.date(), where).parse("2024-01-02T00:00:00Z")).toEqual(
      new Date("2024-01-02T00:00:00Z"),
    );
  });

  it("keeps a description given on a converted field", () => {
    const json = z.toJSONSchema(wireField(z.number().optional().meta({ description: "How many." }), where), {
      io: "input",
    });
    expect(json).toMatchObject({ type: "number", description: "How many." });
  });

  it("refuses, naming the field, what text cannot carry", () => {
    expect(() => wireField(z.object({ a: z.string() }), "GET /x: query parameter filter")).toThrow(
      /GET \/x: query parameter filter: its schema \(object\)/,
    );
  });
});

describe("routeWire", () => {
  const input = z.object({
    namespace: z.string(),
    flowId: z.string(),
    revision: revisionNumber.optional(),
    labels: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
  });

  it("takes the path's parameters and, for a route without a body, the rest as the query", () => {
    const { params, query: wire } = routeWire({
      where,
      path: "/flows/{namespace}/{flowId}",
      input,
      overrides: { labels: wireOverride(repeated(labelText), "labels travel as key:value") },
      parametersOnly: true,
    });
    expect(Object.keys(params?.shape ?? {})).toEqual(["namespace", "flowId"]);
    expect(Object.keys(wire?.shape ?? {})).toEqual(["revision", "labels"]);
    expect(wire?.parse(query("revision=2&labels=a:b"))).toEqual({
      revision: 2,
      labels: [{ key: "a", value: "b" }],
    });
  });

  it("takes from the query only the fields named in inQuery when the route has a body", () => {
    const { query: wire, wire: declared } = routeWire({
      where,
      path: "/flows/{namespace}/{flowId}",
      input,
      query: z.object({ ttl: z.string().optional() }),
      inQuery: ["revision"],
      parametersOnly: false,
    });
    expect(Object.keys(wire?.shape ?? {})).toEqual(["revision", "ttl"]);
    expect(declared).toEqual({ declared: { params: [], query: ["ttl"] }, overrides: {} });
  });

  it("refuses a path parameter the input lacks, unless the route declares it", () => {
    expect(() => routeWire({ where, path: "/x/{id}", input, parametersOnly: true })).toThrow(
      /path parameter id is not a field of the operation's input/,
    );
    const { params } = routeWire({
      where,
      path: "/x/{id}",
      input,
      params: z.object({ id: z.string() }),
      parametersOnly: false,
    });
    expect(Object.keys(params?.shape ?? {})).toEqual(["id"]);
  });

  it("answers an out-of-range revision with a 400 that names the parameter", () => {
    const route = operationRoute(flowOperations.get, {
      method: "GET",
      path: "/flows/{namespace}/{flowId}",
      tag: "Flows",
      summary: "A flow.",
      responses: [],
    });
    const parsed = route.query?.safeParse(query(`revision=${PG_INT_MAX + 1}`));
    expect(parsed?.success).toBe(false);
    const described = describeError(parsed?.error);
    expect(described.status).toBe(400);
    expect(described.message).toMatch(/^Invalid request: revision: /);
    expect(route.query?.parse(query("revision=3&allowDeleted=true"))).toEqual({
      revision: 3,
      allowDeleted: true,
    });
  });
});
