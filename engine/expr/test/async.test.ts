import { describe, expect, it } from "vitest";
import { ExpressionError, type ExprFunction, renderAsync, renderTreeAsync, renderTypedAsync } from "../index";
import { ctx, options } from "./helpers";

function store(values: Record<string, unknown>, delay = 1) {
  const calls: string[] = [];
  const kv: ExprFunction = async (args) => {
    calls.push(String(args[0]));
    await new Promise((resolve) => setTimeout(resolve, delay));
    const key = String(args[0]);
    if (!(key in values)) throw new Error(`Unable to find the KV pair for key '${key}'`);
    return values[key];
  };
  return { kv, calls };
}

describe("async providers", () => {
  it("renders with an asynchronous kv()", async () => {
    const { kv } = store({ "my-key": { field: "value" } });
    await expect(
      renderAsync("{{ kv('my-key').field ?? null }}", ctx(), { ...options, functions: { kv } }),
    ).resolves.toBe("value");
  });

  it("memoises a call by name and arguments within one render", async () => {
    const { kv, calls } = store({ a: 1, b: 2 });
    const out = await renderAsync(
      "{{ kv('a') }}{{ kv('b') }}{{ kv('a') + kv('b') }}",
      {},
      { ...options, functions: { kv } },
    );
    expect(out).toBe("123");
    expect(calls).toEqual(["a", "b"]);
  });

  it("returns typed values", async () => {
    const { kv } = store({ list: [1, 2] });
    await expect(
      renderTypedAsync("{{ kv('list') }}", {}, { ...options, functions: { kv } }),
    ).resolves.toEqual([1, 2]);
  });

  it("renders trees, sharing the memo across leaves", async () => {
    const { kv, calls } = store({ k: "v" });
    const out = await renderTreeAsync(
      { a: "{{ kv('k') }}", b: ["x {{ kv('k') }}", 3] },
      {},
      { ...options, functions: { kv } },
    );
    expect(out).toEqual({ a: "v", b: ["x v", 3] });
    expect(calls).toEqual(["k"]);
  });

  it("turns a rejected promise into an ExpressionError with the provider's message", async () => {
    const { kv } = store({});
    const p = renderAsync("line\n{{ kv('missing') }}", {}, { ...options, functions: { kv } });
    await expect(p).rejects.toBeInstanceOf(ExpressionError);
    await expect(p).rejects.toMatchObject({
      message: expect.stringContaining("Unable to find the KV pair for key 'missing'"),
      line: 2,
    });
  });

  it("does not let ?? swallow a provider error", async () => {
    const { kv } = store({});
    await expect(
      renderAsync("{{ kv('missing') ?? 'd' }}", {}, { ...options, functions: { kv } }),
    ).rejects.toThrow("Unable to find the KV pair");
  });

  it("mixes sync and async providers and lazy branches", async () => {
    const { kv, calls } = store({ a: "A" });
    const out = await renderAsync(
      "{{ flag ? kv('a') : kv('never') }} {{ secret('S') }}",
      { flag: true },
      { ...options, functions: { kv, secret: () => "s3cr3t" } },
    );
    expect(out).toBe("A s3cr3t");
    expect(calls).toEqual(["a"]);
  });

  it("works in loops", async () => {
    const { kv } = store({ "0": "zero", "1": "one" });
    const out = await renderAsync(
      "{% for i in range(0, 1) %}{{ kv(i ~ '') }};{% endfor %}",
      {},
      { ...options, functions: { kv } },
    );
    expect(out).toBe("zero;one;");
  });

  it("bounds the number of asynchronous rounds", async () => {
    let n = 0;
    const fresh: ExprFunction = async () => n++;
    await expect(
      renderAsync(
        "{% for i in range(1, 400) %}{{ f(i) }}{% endfor %}",
        {},
        { ...options, functions: { f: fresh } },
      ),
    ).rejects.toThrow("too many asynchronous function calls");
  });

  it("still reports syntax and strict-variable errors", async () => {
    await expect(renderAsync("{{ ko }}", {}, options)).rejects.toThrow("Missing variable: 'ko'");
    await expect(renderAsync("{{ (", {}, options)).rejects.toBeInstanceOf(ExpressionError);
  });
});
