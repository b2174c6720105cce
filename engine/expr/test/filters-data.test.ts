import { describe, expect, it } from "vitest";
import { err, r, t } from "./helpers";

describe("toJson / json", () => {
  it.each([
    ["{{ [1, 2, 3] | toJson }}", "[1,2,3]"],
    ["{{ true | toJson }}", "true"],
    ["{{ 'foo' | toJson }}", '"foo"'],
    ["{{ nothing | toJson }}", "null"],
    ["{{ 2.5 | toJson }}", "2.5"],
    ["{{ {'a': null, 'b': 1} | toJson }}", '{"b":1}'],
    ["{{ {'a': null, 'b': 1} | toJson(includeNulls=true) }}", '{"a":null,"b":1}'],
    ["{{ [null] | toJson }}", "[null]"],
    ["{{ inputs.obj | json }}", '{"a":1,"b":"two","c":[1,2],"d":{"e":"deep"}}'],
    ["{{ 'quote\" and \\\\' | toJson }}", '"quote\\" and \\\\"'],
    ["{{ 'é€' | toJson }}", '"é€"'],
    ["{{ trigger | json }}", '{"date":"2024-01-15T10:00:00Z"}'],
  ])("%j renders %j", (tpl, expected) => {
    expect(
      r(tpl, {
        inputs: { obj: { a: 1, b: "two", c: [1, 2], d: { e: "deep" } } },
        nothing: null,
        trigger: { date: "2024-01-15T10:00:00Z" },
      }),
    ).toBe(expected);
  });

  it("serializes Date values as ISO instants", () => {
    expect(r("{{ d | toJson }} {{ d }}", { d: new Date("2024-01-15T10:00:00.500Z") })).toBe(
      '"2024-01-15T10:00:00.500Z" 2024-01-15T10:00:00.500Z',
    );
  });
});

describe("yaml / toYaml", () => {
  it.each([
    ["{{ {'key': 'value'} | yaml }}", "key: value\n"],
    ["{{ {'a': {'b': [1, 2]}, 'c': 'x'} | yaml }}", "a:\n  b:\n    - 1\n    - 2\nc: x\n"],
    ["{{ [{'a': 1, 'b': 2}, 'x'] | toYaml }}", "- a: 1\n  b: 2\n- x\n"],
    ["{{ [[1, 2], 3] | yaml }}", "- - 1\n  - 2\n- 3\n"],
    [
      "{{ {'t': 'true', 'n': '12', 'e': '', 's': 'a: b', 'ok': true} | yaml }}",
      't: "true"\nn: "12"\ne: ""\ns: "a: b"\nok: true\n',
    ],
    ["{{ {'l': [], 'm': {}} | yaml }}", "l: []\nm: {}\n"],
    ["{{ 'foo: bar' | yaml }}", '"foo: bar"\n'],
    ["{{ 'plain' | yaml }}", "plain\n"],
    ["{{ {'multi': 'a\nb'} | yaml }}", 'multi: "a\\nb"\n'],
    ["{{ nothing | yaml }}", "null"],
    ["{{ {'n': null} | yaml }}", "n: null\n"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, { nothing: null })).toBe(expected);
  });

  it("round-trips through the yaml() function", () => {
    expect(t("{{ yaml({'a': [1, {'b': 'c'}]} | yaml) }}", {})).toEqual({ a: [1, { b: "c" }] });
  });

  it("indents for templated YAML", () => {
    expect(
      r("spec:\n  labels:{{ labels | yaml | nindent(4) }}", { labels: { env: "prod", team: "data" } }),
    ).toBe("spec:\n  labels:\n    env: prod\n    team: data\n    ");
  });
});

describe("toIon", () => {
  it.each([
    ["{{ {'a': 1, 'b': 'x', 'c': [true, 1.5]} | toIon }}", '{a:1,b:"x",c:[true,1.5e0]}'],
    ["{{ {'with space': null, 'k': 2} | toIon }}", "{k:2}"],
    ["{{ {'with space': 1} | toIon }}", "{'with space':1}"],
    ["{{ nothing | toIon }}", "null"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, { nothing: null })).toBe(expected);
  });
});

describe("jq filter (returns a list)", () => {
  const data = {
    outputs: { task1: { value: 1, text: "awesome1" }, task2: { value: 2, text: "awesome2" } },
    payload: {
      name: "John Doe",
      score: { English: 72, Maths: 88, French: 95 },
      graduation_years: [2020, 2021, 2022, 2023],
      people: [
        { name: "alpha", value: 1, tags: ["x"] },
        { name: "bravo", value: 2, tags: [] },
      ],
    },
    raw: '{"name": "alpha", "value": 1}',
  };
  it.each([
    ["{{ [1, 2, 3] | jq('.') }}", "[[1,2,3]]"],
    ["{{ [1, 2, 3] | jq('.[0]') | first }}", "1"],
    ["{{ outputs | jq('.task1.value') | first }}", "1"],
    ["{{ outputs | jq('.task2[\"text\"]') | first }}", "awesome2"],
    ["{{ outputs | jq('.[] | .value') }}", "[1,2]"],
    ["{{ payload | jq('.people[] | select(.value > 1) | .name') }}", '["bravo"]'],
    ["{{ payload | jq('.people | map(.name)') | first }}", '["alpha","bravo"]'],
    ["{{ payload | jq('.people | length') | first }}", "2"],
    ["{{ payload.score | values | jq('reduce .[] as $num (0; .+$num)') | first }}", "255"],
    ["{{ payload.score | jq('keys') | first }}", '["English","French","Maths"]'],
    ["{{ payload | jq('.graduation_years[1:3]') | first }}", "[2021,2022]"],
    ["{{ payload | jq('.graduation_years[-1]') | first }}", "2023"],
    ["{{ payload | jq('.name, .graduation_years[0]') }}", '["John Doe",2020]'],
    ["{{ payload | jq('.missing // \"default\"') | first }}", "default"],
    ["{{ payload | jq('.missing') }}", "[null]"],
    [
      "{{ payload | jq('{n: .name, first: .graduation_years[0]}') | first }}",
      '{"n":"John Doe","first":2020}',
    ],
    ["{{ payload | jq('[.people[] | .value * 2]') | first }}", "[2,4]"],
    [
      '{{ payload | jq(\'.people[] | if .value == 1 then "one" elif .value == 2 then "two" else "many" end\') }}',
      '["one","two"]',
    ],
    ["{{ payload | jq('.people | map(select(.tags | length > 0)) | length') | first }}", "1"],
    ["{{ raw | jq('.value * 2') | first }}", "2"],
    ["{{ raw | jq('.name | ascii_upcase') | first }}", "ALPHA"],
    ["{{ payload | jq('.graduation_years | add') | first }}", "8086"],
    ["{{ payload | jq('.graduation_years | map(tostring) | join(\"-\")') | first }}", "2020-2021-2022-2023"],
    ["{{ payload | jq('.name | test(\"^John\")') | first }}", "true"],
    ["{{ payload | jq('.people | sort_by(.value) | reverse | .[0].name') | first }}", "bravo"],
    ["{{ payload | jq('.score | to_entries | map(.key) | sort') | first }}", '["English","French","Maths"]'],
    ["{{ payload | jq('.name as $n | $n + \"!\"') | first }}", "John Doe!"],
    ["{{ payload | jq('.nope[]?') }}", "[]"],
    ["{{ payload | jq('has(\"name\")') | first }}", "true"],
    ["{{ payload | jq('[.graduation_years[] | select(. >= 2022)]') | first }}", "[2022,2023]"],
    ["{{ payload | jq('.people | group_by(.value > 1) | length') | first }}", "2"],
    ["{{ payload | jq('[range(3)]') | first }}", "[0,1,2]"],
    ["{{ payload | jq('.name | split(\" \")') | first }}", '["John","Doe"]'],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl, data)).toBe(expected);
  });

  it("returns typed lists", () => {
    expect(t("{{ payload | jq('.people[].value') }}", data)).toEqual([1, 2]);
  });

  it.each([
    ["{{ x | jq('.a = 1') }}", "assignment operators"],
    ["{{ x | jq('def f: .; f') }}", "function definitions (def) are not supported"],
    ["{{ x | jq('\"\\\\(.a)\"') }}", "string interpolation"],
    ["{{ x | jq('paths') }}", "paths/0 is not supported"],
    ["{{ x | jq('.[') }}", "jq: syntax error"],
    ["{{ x | jq('.a.b.c') }}", "Cannot index"],
    ["{{ 'not json' | jq('.') }}", "Unable to parse jq value"],
    ["{{ x | jq() }}", "expects an argument 'expression'"],
  ])("%j fails with %j", (tpl, message) => {
    expect(err(tpl, { x: { a: "s" } }).message).toContain(message);
  });
});
