import { describe, expect, it } from "vitest";
import { ctx, err, r } from "./helpers";

describe("collection filters", () => {
  it.each([
    ["{{ ['apple', 'banana'] | first }}", "apple"],
    ["{{ 'Mitch' | first }}", "M"],
    ["{{ [] | first }}", ""],
    ["{{ ['apple', 'banana'] | last }}", "banana"],
    ["{{ 'Mitch' | last }}", "h"],
    ["{{ ['apple', 'banana'] | join(', ') }}", "apple, banana"],
    ["{{ [1, 2, 3] | join }}", "123"],
    ["{{ [1, null, 'x'] | join('-') }}", "1-null-x"],
    ["{{ 'Mitch' | length }}", "5"],
    ["{{ [1, 2] | length }}", "2"],
    ["{{ {'a': 1} | length }}", "1"],
    ["{{ nothing | length }}", "0"],
    ["{{ 5 | length }}", "0"],
    ["{{ [1, 2] | merge([3, 4]) }}", "[1,2,3,4]"],
    ["{{ {'a': 1} | merge({'b': 2, 'a': 3}) }}", '{"a":3,"b":2}'],
    ["{{ ['apple', 'banana'] | reverse }}", '["banana","apple"]'],
    ["{{ 'abc' | reverse }}", "cba"],
    ["{{ [3, 1, 2] | sort }}", "[1,2,3]"],
    ["{{ ['b', 'C', 'a'] | sort }}", '["C","a","b"]'],
    ["{{ [3, 1, 2] | rsort }}", "[3,2,1]"],
    ["{{ ['apple', 'banana', 'cherry'] | slice(1, 2) }}", '["banana"]'],
    ["{{ 'Mitch' | slice(1, 3) }}", "it"],
    ["{{ [1, 2, 3] | slice(1) }}", "[2,3]"],
    ["{{ {'foo': 'bar', 'baz': 'qux'} | keys }}", '["foo","baz"]'],
    ["{{ ['x', 'y'] | keys }}", "[0,1]"],
    ["{{ {'foo': 'bar', 'baz': 'qux'} | values }}", '["bar","qux"]'],
    ["{{ [1, 2, 3, 4, 5] | chunk(2) }}", "[[1,2],[3,4],[5]]"],
    ["{{ [[1, 2], [3], 4] | flatten }}", "[1,2,3,4]"],
    ["{{ [[1, [2]]] | flatten }}", "[1,[2]]"],
    ["{{ ['1', '1', '2', '3'] | distinct }}", '["1","2","3"]'],
    ["{{ inputs.obj | length }}", "4"],
  ])("%j renders %j", (tpl, expected) => {
    expect(r(tpl)).toBe(expected);
  });

  it("never sorts the caller's list in place", () => {
    const c = ctx();
    r("{{ inputs.nums | sort }}{{ inputs.nums | reverse }}", c);
    expect((c.inputs as { nums: number[] }).nums).toEqual([3, 1, 2]);
  });

  it.each([
    ["{{ [1] | slice(0, 5) }}", "toIndex must be smaller than input size: 1"],
    ["{{ [1, 2] | slice(1, 1) }}", "toIndex must be greater than fromIndex"],
    ["{{ 5 | slice(1) }}", "Slice filter can only be applied to String, List and array inputs"],
    ["{{ [1, 'a'] | sort }}", "can only sort a list of strings or of numbers"],
    ["{{ 1 | chunk(2) }}", "can only be applied to a list"],
    ["{{ [1] | chunk }}", "'chunk' filter expects an argument 'size'."],
    ["{{ 'x' | flatten }}", "can only be applied to lists"],
    ["{{ 'x' | keys }}", "'keys' filter can only be applied to List, Map, Array"],
    ["{{ {'a': 1} | join(',') }}", "either a collection or an array"],
    ["{{ nothing | merge(nothing) }}", "The two arguments to be merged are null"],
    ["{{ 'x' | merge([1]) }}", "not a Map/List/Array"],
  ])("%j fails with %j", (tpl, message) => {
    expect(err(tpl).message).toContain(message);
  });
});
