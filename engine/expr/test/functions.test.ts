import { describe, expect, it } from "vitest";
import { ExpressionError, render } from "../index";
import { ctx, err, options, r, t } from "./helpers";

describe("built-in functions", () => {
  it.each([
    ["{{ range(0, 3) }}", "[0,1,2,3]"],
    ["{{ range(0, 6, 2) }}", "[0,2,4,6]"],
    ["{{ range(3, 0, -1) }}", "[3,2,1,0]"],
    ["{{ range('a', 'c') }}", '["a","b","c"]'],
    ["{{ range(1, 0) }}", "[]"],
    ["{{ max(20, 80, inputs.n) }}", "80"],
    ["{{ min(20, 80, inputs.n) }}", "3"],
    ["{{ max(1.5, 1) }}", "1.5"],
    ["{{ max('a', 'b') }}", "b"],
    ["{{ fromJson('[1, 2, 3]')[0] }}", "1"],
    ["{{ fromJson('{\"foo\": [666, 1, 2]}').foo[0] }}", "666"],
    ['{{ json(\'{"a": {"b": true}}\').a.b }}', "true"],
    ["{{ fromJson(inputs.json).a[2].b }}", "c"],
    ["{{ fromJson(nothing) }}", ""],
    // fromIon (FromIonFunctionTest): the first row, or every row with allRows=true.
    ["{{ fromIon('{date:2024-04-21T23:00:00.000Z, title:\"Main_Page\",views:109787}').title }}", "Main_Page"],
    ['{{ fromIon(\'{id:0,name:"john"}\n{id:1,name:"john"}\n\').id }}', "0"],
    ["{{ fromIon('{id:0}\n\n{id:1}', allRows=true) | length }}", "2"],
    ["{{ fromIon('{id:0}\n{id:1}', allRows=true)[1].id }}", "1"],
    ["{{ ionDecode(\"[a, 'b c']\")[1] }}", "b c"],
    ["{{ fromIon('') }}", ""],
    ["{{ fromIon(nothing) }}", ""],
    // Kestra 2.0's calendar functions, in the date's own zone.
    ["{{ isWeekend('2024-01-06T10:00:00Z') }}", "true"],
    ["{{ isWeekend('2024-01-08T10:00:00Z') }}", "false"],
    ["{{ dayOfWeek('2024-01-06T23:30:00-05:00') }}", "SATURDAY"],
    ["{{ hourOfDay('2024-01-06T23:30:00-05:00') }}", "23"],
    ["{{ dayOfMonth('2024-02-29T01:00:00Z') + monthOfYear('2024-02-29T01:00:00Z') }}", "31"],
    ["{{ isDayWeekInMonth('2024-01-01T09:00:00Z', 'MONDAY', 'FIRST') }}", "true"],
    ["{{ isDayWeekInMonth('2024-01-08T09:00:00Z', 'monday', 'FIRST') }}", "false"],
    ["{{ isDayWeekInMonth('2024-01-08T09:00:00Z', 'MONDAY', 'SECOND') }}", "true"],
    ["{{ isDayWeekInMonth('2024-01-29T09:00:00Z', 'MONDAY', 'LAST') }}", "true"],
    ["{{ isDayWeekInMonth('2024-01-22T09:00:00Z', 'MONDAY', 'LAST') }}", "false"],
    ["{{ isDayWeekInMonth('2024-01-22T09:00:00Z', 'MONDAY', 'FOURTH') }}", "true"],
    // isLastWorkingDay (IsLastWorkingDayFunctionTest): November 2025 ends on a Sunday.
    ["{{ isLastWorkingDay('2025-11-28') }}", "true"],
    ["{{ isLastWorkingDay('2025-11-29') }}", "false"],
    ["{{ isLastWorkingDay('2025-11-30') }}", "false"],
    ["{{ isLastWorkingDay('2025-11-27') }}", "false"],
    ["{{ isLastWorkingDay('2025-11-29', 'MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY,SATURDAY') }}", "true"],
    ["{{ isLastWorkingDay('2025-11-30T10:00:00Z', 'sunday monday') }}", "true"],
    ["{{ isLastWorkingDay('2025-12-31T23:30:00-05:00') }}", "true"],
    ["{{ yaml('foo: [666, 1, 2]').foo[0] }}", "666"],
    ["{{ yaml('a:\n  b: text').a.b }}", "text"],
    ["{{ render(vars.greeting) }}", "hi world"],
    ["{{ render(vars.nested) }}", "hi world!"],
    ["{{ render(vars.nested, recursive=false) }}", "hi {{ inputs.name }}!"],
    ["{{ renderOnce(vars.nested) }}", "hi {{ inputs.name }}!"],
    ["{{ render('plain') }}", "plain"],
    ["{{ render(42) }}", "42"],
    ["{{ render(\"{{ trigger.date ?? execution.startDate | date('yyyy-MM-dd') }}\") }}", "2024-01-15"],
    ["{{ printContext().flow.id }}", "hello"],
    ["{{ randomInt(1, 10) }}", "5"],
    ["{{ randomInt(5, 5) }}", "5"],
    ["{{ uuid() | length }}", "36"],
    ["{{ id() | length }}", "22"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("generates version 7 UUIDs carrying the clock", () => {
    const u = r("{{ uuid() }}");
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(u.replace(/-/g, "").slice(0, 12), 16)).toBe(
      Date.parse("2024-01-15T10:30:45.123Z"),
    );
  });

  it("is deterministic with a fixed random source, and follows the source given", () => {
    expect(r("{{ id() }}")).toBe(r("{{ id() }}"));
    let n = 0;
    const counting = { ...options, random: () => (++n % 97) / 97 };
    const a = render("{{ uuid() }}", {}, counting);
    const b = render("{{ uuid() }}", {}, counting);
    expect(a).not.toBe(b);
  });

  it("finds the current ForEach output with currentEachOutput", () => {
    const c = {
      outputs: {
        make_data: { "value 1": { values: { data: "d1" } }, "value 2": { values: { data: "d2" } } },
      },
      taskrun: { value: "value 2" },
    };
    expect(r("{{ currentEachOutput(outputs.make_data).values.data }}", c)).toBe("d2");
    const nested = {
      outputs: { t: { outer: { inner: { v: 1 } } } },
      parents: [{ taskrun: { value: "outer" } }],
      taskrun: { value: "inner" },
    };
    expect(r("{{ currentEachOutput(outputs.t).v }}", nested)).toBe("1");
  });

  it.each([
    ["{{ range(0, 10, 0) }}", "must be different than 0"],
    ["{{ range('ab', 'c') }}", "Number or String with a length of 1"],
    ["{{ range(0, 2000000) }}", "cannot produce more than 1000000 elements"],
    ["{{ fromJson('{bad') }}", "Invalid json"],
    ["{{ fromJson(1) }}", "expects an argument 'json' with type string"],
    ["{{ fromJson() }}", "expects an argument 'json'"],
    ["{{ yaml(': - :\n\t') }}", "Invalid yaml"],
    ["{{ fromIon('{a:') }}", "Invalid ion"],
    ["{{ isWeekend(nothing) }}", "expects an argument 'date'"],
    ["{{ isDayWeekInMonth('2024-01-01T09:00:00Z', 'MONDAY', 'FIFTH') }}", "'position' to be one of"],
    ["{{ fromIon(1) }}", "expects an argument 'ion' with type string"],
    ["{{ randomInt(5, 1) }}", "upper is less than lower"],
    ["{{ randomInt(1.5, 3) }}", "of type Long"],
    ["{{ render(vars.bad) }}", "Missing variable: 'oops' on '{{ oops }}'"],
    ["{{ render('{{ render(self) }}') }}", "nested more than 10 levels"],
    ["{{ render(ping) }}", "Too many rendering attempts"],
    ["{{ currentEachOutput('x') }}", "with type map"],
    ["{{ nope(1) }}", "Function or Macro [nope] does not exist."],
    ["{{ uuid(1) }}", "accepts at most 0 argument"],
  ])("%j fails with %j", (tpl, message) => {
    const c = {
      ...ctx(),
      vars: { bad: "{{ oops }}" },
      self: "{{ render(self) }}",
      ping: "{{ pong }}",
      pong: "{{ ping }}",
    };
    expect(err(tpl, c).message).toContain(message);
  });

  it("does not let an outer ?? swallow an undefined variable inside render()", () => {
    expect(err("{{ render('{{ ko }}') ?? 'fallback' }}").message).toContain("Missing variable: 'ko'");
  });
});

describe("functions supplied by the caller", () => {
  it.each([
    "secret",
    "kv",
    "read",
    "errorLogs",
    "fileSize",
    "fileExists",
    "isFileEmpty",
    "fileURI",
    "subflow",
  ])("%s() is not available without a provider", (name) => {
    expect(err(`{{ ${name}('x') }}`).message).toContain(`function '${name}' is not available here`);
  });

  it("calls providers with positional and named arguments and the context", () => {
    const calls: unknown[] = [];
    const out = r("{{ kv('my-key', namespace='ns', errorOnMissing=false).field }}", ctx(), {
      functions: {
        kv: (args, named, call) => {
          calls.push([args, named, (call.context.flow as { id: string }).id]);
          return { field: "value" };
        },
      },
    });
    expect(out).toBe("value");
    expect(calls).toEqual([[["my-key"], { namespace: "ns", errorOnMissing: false }, "hello"]]);
  });

  it("lets providers override built-ins", () => {
    expect(r("{{ now() }}", {}, { functions: { now: () => "frozen" } })).toBe("frozen");
  });

  it("turns provider errors into ExpressionError with the provider's message", () => {
    const e = err(
      "x {{ secret('NOPE') }}",
      {},
      {
        functions: {
          secret: () => {
            throw new Error("Cannot find secret for key 'NOPE'.");
          },
        },
      },
    );
    expect(e).toBeInstanceOf(ExpressionError);
    expect(e.message).toContain("Cannot find secret for key 'NOPE'.");
    expect(e.column).toBe(6);
  });

  it("refuses asynchronous providers in synchronous renders", () => {
    const e = err("{{ kv('k') }}", {}, { functions: { kv: async () => "v" } });
    expect(e.message).toContain("function 'kv' is asynchronous; use renderAsync");
  });

  it("never hands a function returned by a provider to the template", () => {
    expect(t("{{ f() }}", {}, { functions: { f: () => () => 1 } })).toBeNull();
  });

  it("keeps the errorLogs() template working", () => {
    const out = render(
      "{%- for log in errorLogs() -%}\n- task: {{ log.taskId }}, message: {{ log.message }}\n{%- endfor -%}",
      {},
      { ...options, functions: { errorLogs: () => [{ taskId: "fail", message: "Something went wrong" }] } },
    );
    expect(out).toBe("- task: fail, message: Something went wrong");
  });
});
