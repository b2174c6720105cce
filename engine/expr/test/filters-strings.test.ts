import { describe, expect, it } from "vitest";
import { err, r } from "./helpers";

describe("string filters", () => {
  it.each([
    ["{{ 'this is a long sentence.' | abbreviate(7) }}", "this..."],
    ["{{ 'short' | abbreviate(10) }}", "short"],
    ["{{ 'abcdef' | abbreviate(3) }}", "abc"],
    ["{{ 'article title' | capitalize }}", "Article title"],
    ["{{ '  lead' | capitalize }}", "  Lead"],
    ["{{ 'article title' | title }}", "Article Title"],
    ["{{ 'hello  big\tworld' | title }}", "Hello  Big\tWorld"],
    ["{{ 'LOUD TEXT' | lower }}", "loud text"],
    ["{{ 'quiet' | upper }}", "QUIET"],
    ["{{ 42 | upper }}", "42"],
    ["{{ '   padded text   ' | trim }}", "padded text"],
    ["{{ '\\tx\\n' | trim }}", "\\tx\\n"],
    [
      "{{ 'I like %this% and %that%.' | replace({'%this%': inputs.name, '%that%': 'bar'}) }}",
      "I like world and bar.",
    ],
    ["{{ 'aaa' | replace({'a': 'b'}) }}", "bbb"],
    ["{{ 'a.b.c' | replace({'.': '-'}) }}", "a-b-c"],
    ["{{ 'a1b22c' | replace({'[0-9]+': '#'}, regexp=true) }}", "a#b#c"],
    ["{{ 'john smith' | replace({'(\\\\w+) (\\\\w+)': '$2 $1'}, regexp=true) }}", "smith john"],
    ["{{ ['ab', 'cb'] | replace({'b': 'x'}) }}", '["ax","cx"]'],
    ["{{ 'abc' | replace({'': '-'}) }}", "-a-b-c-"],
    ["{{ 'abc' | replace({'x*': '-'}, regexp=true) }}", "-a-b-c-"],
    ["{{ 'price' | replace({'price': '\\\\$5'}, regexp=true) }}", "$5"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Java named-group reference, not a JS template
    ["{{ '2024-01-15' | replace({'(?<y>\\d+)-(\\d+)-(\\d+)': '${y}/$2'}, regexp=true) }}", "2024/01"],
    ["{{ 'AbC' | replace({'(?i)b': '_'}, regexp=true) }}", "A_C"],
    ["{{ {'k': 'vb', 'n': 1} | replace({'b': 'x'}) }}", '{"k":"vx","n":"1"}'],
    ["{{ 'apple,banana,cherry' | split(',') }}", '["apple","banana","cherry"]'],
    ["{{ 'apple,banana,cherry,grape' | split(',', 2) }}", '["apple","banana,cherry,grape"]'],
    ["{{ 'a.b.c' | split('\\\\.') }}", '["a","b","c"]'],
    ["{{ 'a1b22c' | split('[0-9]+') }}", '["a","b","c"]'],
    ["{{ 'a,b,,' | split(',') }}", '["a","b"]'],
    ["{{ 'a,b,,' | split(',', -1) }}", '["a","b","",""]'],
    ["{{ 'hello world' | startsWith('hello') }}", "true"],
    ["{{ 'hello world' | startsWith('world') }}", "false"],
    ["{{ 'hello world' | endsWith('world') }}", "true"],
    ["{{ 'a.b.c' | substringBefore('.') }}", "a"],
    ["{{ 'a.b.c' | substringAfter('.') }}", "b.c"],
    ["{{ 'a.b.c' | substringBeforeLast('.') }}", "a.b"],
    ["{{ 'a.b.c' | substringAfterLast('.') }}", "c"],
    ["{{ 'abc' | substringBefore('x') }}", "abc"],
    ["{{ 'abc' | substringAfter('x') }}", ""],
    ["{{ 'Hello World!' | slugify }}", "hello-world"],
    ["{{ 'Crème brûlée_au  café' | slugify }}", "creme-brulee-au-cafe"],
    ["{{ \"Can't be here\" | escapeChar('single') }}", "Can\\'t be here"],
    ["{{ 'say \"hi\"' | escapeChar('double') }}", 'say \\"hi\\"'],
    ["{{ \"it's\" | escapeChar('shell') }}", "it'\\''s"],
    ["{{ 'a\nb\nc' | indent(2) }}", "a\n  b\n  c"],
    ["{{ 'a\nb' | indent(2, '-') }}", "a\n--b"],
    ["{{ 'key: value' | nindent(2) }}", "\n  key: value"],
    ["{{ '' | indent(4) }}", ""],
    ["{{ '<b>' | escape }}", "<b>"],
    ["{{ '<b>' | raw }}", "<b>"],
    ["{{ nothing | upper }}", ""],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it.each([
    ["{{ 'x' | escapeChar('weird') }}", "either 'single', 'double', or 'shell'"],
    ["{{ 'x' | replace('a') }}", "must be a map"],
    ["{{ 'x' | split() }}", "missing delimiter"],
    ["{{ [1] | upper }}", "expects a string"],
    ["{{ 'x' | indent }}", "expects an integer as argument 'amount'"],
    ["{{ 'x' | nosuchfilter }}", "Filter [nosuchfilter] does not exist."],
    ["{{ 'x' | abbreviate(1, 2) }}", "accepts at most 1 argument"],
    ["{{ 'x' | abbreviate(len=1) }}", "has no argument named 'len'"],
    ["{{ 'aa' | split('(a)\\1') }}", "uses a backreference (\\1)"],
    ["{{ 'ab' | replace({'a(?=b)': 'x'}, regexp=true) }}", "uses a lookahead (?=...)"],
    ["{{ 'ab' | replace({'(?<!a)b': 'x'}, regexp=true) }}", "uses a negative lookbehind (?<!...)"],
    ["{{ 'ab' | replace({'a++': 'x'}, regexp=true) }}", "uses a possessive quantifier (++)"],
    ["{{ 'ab' | replace({'(?>a)': 'x'}, regexp=true) }}", "uses an atomic group (?>...)"],
    ["{{ 'ab' | replace({'[a-z&&[^b]]': 'x'}, regexp=true) }}", "character class intersection (&&)"],
    ["{{ 'ab' | split('(') }}", "Invalid regular expression '('"],
  ])("%j fails with %j", (tpl, message) => {
    expect(err(tpl).message).toContain(message);
  });
});
