import type { PathSegment } from "./errors";

/**
 * Kestra 1.x and 2.0 name some things differently. Cadenza accepts both where it can; where one of them is
 * written in a place that only knows the other (a 2.0 `window` key inside 1.x `preconditions.timeWindow`, a
 * Loop property on a ForEach...), the unknown property gets an explanation saying what to write instead,
 * never only "unknown property".
 */

type Where = "task" | "trigger" | "flow";

const LOOP =
  "is Kestra 2.0 Loop's: write `type: io.kestra.plugin.core.flow.Loop` (2.0's replacement of ForEach, EachSequential, EachParallel and ForEachItem)";
const NOT_SUBFLOW =
  "Loop (Kestra 2.0) runs its own `tasks` per item, not a subflow: put a Subflow task in its `tasks`, or keep ForEachItem";

/** Plugin type (canonical) -> property -> explanation, for a property the plugin does not know. */
const BY_TYPE: Record<string, Record<string, string>> = {
  "core.flow.ForEach": {
    breakWhen: `\`breakWhen\` ${LOOP}`,
    transmitFailed: `\`transmitFailed\` ${LOOP}`,
    fetchType: `\`fetchType\` ${LOOP}`,
    outputs: `per-iteration \`outputs\` ${LOOP}`,
    value: "ForEach takes `values` (`value` is the deprecated EachSequential's and EachParallel's)",
  },
  "core.flow.EachSequential": {
    values: "EachSequential takes `value`; ForEach (1.x) and Loop (2.0) take `values`",
    breakWhen: `\`breakWhen\` ${LOOP}`,
    concurrencyLimit:
      "EachSequential runs one value at a time: use ForEach (1.x) or Loop (2.0) for `concurrencyLimit`",
  },
  "core.flow.EachParallel": {
    values: "EachParallel takes `value`; ForEach (1.x) and Loop (2.0) take `values`",
    concurrencyLimit:
      "EachParallel names it `concurrent`; ForEach (1.x) and Loop (2.0) say `concurrencyLimit`",
    breakWhen: `\`breakWhen\` ${LOOP}`,
  },
  "core.flow.ForEachItem": {
    values: "ForEachItem reads `items` (a file URI); `values` is ForEach's and Loop's",
    breakWhen: `\`breakWhen\` ${LOOP}`,
    tasks:
      "ForEachItem starts a subflow per batch (`namespace`, `flowId`); Loop (Kestra 2.0) runs `tasks` per line of a file",
  },
  "core.flow.Loop": {
    value: "Loop takes `values` (`value` was EachSequential's and EachParallel's)",
    concurrent: "Loop names it `concurrencyLimit` (0, the default, runs every iteration at once)",
    items:
      "Loop reads a file through `values`: give it the `kestra://` URI and it runs one iteration per line (`items` was ForEachItem's)",
    batch: `\`batch\` was ForEachItem's: ${NOT_SUBFLOW}`,
    namespace: NOT_SUBFLOW,
    flowId: NOT_SUBFLOW,
    inputs: NOT_SUBFLOW,
    wait: NOT_SUBFLOW,
  },
  "core.trigger.Flow": {
    flows: "upstream flows go under `dependsOn` (Kestra 2.0) or `preconditions.flows` (1.x)",
    where:
      "`where` filters belong to 1.x `preconditions`; in Kestra 2.0 give each `dependsOn` entry a `when` expression",
    timeWindow: "`timeWindow` belongs to 1.x `preconditions`; with Kestra 2.0's `dependsOn` write `window`",
    resetOnSuccess:
      "`resetOnSuccess` belongs to 1.x `preconditions`; a Kestra 2.0 `dependsOn` trigger always resets once it fires",
    onMiss: "`onMiss` (Kestra 2.0) is not supported by Cadenza yet",
  },
};

/** The same for a property nested at a path inside a plugin's properties (`*` matches any list index). */
const NESTED: { type: string; at: string[]; keys: Record<string, string> }[] = [
  {
    type: "core.trigger.Flow",
    at: ["window"],
    keys: {
      type: "a Kestra 2.0 `window` has no `type`: it is read from the fields set (`deadline`; `from` + `to`; `lookback`; otherwise `every`/`offset`)",
      window:
        "in a Kestra 2.0 `window`, 1.x's `window` is `every` (a fixed window) or `lookback` (a sliding one)",
      windowAdvance: "in a Kestra 2.0 `window`, 1.x's `windowAdvance` is `offset`",
      startTime: "in a Kestra 2.0 `window`, 1.x's `startTime` is `from`",
      endTime: "in a Kestra 2.0 `window`, 1.x's `endTime` is `to`",
      fireOnce: "`window.fireOnce` was removed from Kestra 2.0: a trigger always resets once it fires",
    },
  },
  {
    type: "core.trigger.Flow",
    at: ["preconditions", "timeWindow"],
    keys: {
      from: "in 1.x `preconditions.timeWindow`, 2.0's `from` is `startTime` (with `type: DAILY_TIME_WINDOW`)",
      to: "in 1.x `preconditions.timeWindow`, 2.0's `to` is `endTime` (with `type: DAILY_TIME_WINDOW`)",
      every: "in 1.x `preconditions.timeWindow`, 2.0's `every` is `window` (with `type: DURATION_WINDOW`)",
      offset: "in 1.x `preconditions.timeWindow`, 2.0's `offset` is `windowAdvance`",
      lookback: "in 1.x `preconditions.timeWindow`, 2.0's `lookback` is `window` with `type: SLIDING_WINDOW`",
      timezone:
        "1.x `preconditions.timeWindow` has no `timezone`; Kestra 2.0's `window` (beside `dependsOn`) has one",
    },
  },
  {
    type: "core.trigger.Flow",
    at: ["preconditions"],
    keys: {
      dependsOn: "`dependsOn` (Kestra 2.0) goes on the trigger itself and replaces `preconditions`",
      window:
        "`window` (Kestra 2.0) goes on the trigger itself, beside `dependsOn`; in 1.x `preconditions` write `timeWindow`",
      mode: "`mode` (Kestra 2.0) goes on the trigger itself, beside `dependsOn`",
      minSatisfied:
        "`minSatisfied` (Kestra 2.0) goes on the trigger itself, beside `dependsOn` and `mode: AT_LEAST`",
    },
  },
  {
    type: "core.trigger.Flow",
    at: ["dependsOn", "*"],
    keys: {
      flows:
        "each `dependsOn` entry is one upstream flow (`namespace`, `flowId`, `states`, `labels`, `when`), not a `flows` list",
      where: "1.x `where` filters become the entry's `when` expression in Kestra 2.0",
      id: "`dependsOn` entries have no `id` (1.x `preconditions` had one)",
      timeWindow: "the time window goes on the trigger as `window`, not in a `dependsOn` entry",
      window: "the time window goes on the trigger as `window`, not in a `dependsOn` entry",
    },
  },
];

/** Properties of a kind of item (any task, any trigger, the flow itself) that the other Kestra version names. */
const BY_ROLE: Record<Where, Record<string, string>> = {
  task: {},
  trigger: {
    dependsOn: "`dependsOn` belongs to the Flow trigger (`io.kestra.plugin.core.trigger.Flow`)",
    preconditions: "`preconditions` belongs to the Flow trigger (`io.kestra.plugin.core.trigger.Flow`)",
    runIf: "triggers take `when` (Kestra 2.0); `runIf` is for tasks",
  },
  flow: {
    runIf: "a flow has no `runIf`: give its first task a `runIf`, or its triggers a `when`",
    when: "a flow has no `when`: give its triggers a `when`, or add `checks` (each with a `when`)",
  },
};

function matches(pattern: string[], path: readonly PathSegment[]): boolean {
  return pattern.length === path.length && pattern.every((p, i) => p === "*" || p === String(path[i]));
}

/**
 * Why `key` is unknown at `path` (relative to the item) when it is a 1.x/2.0 mix-up, or undefined.
 * `type` is the item's canonical plugin type (undefined for the flow).
 */
export function mixupHint(
  where: Where,
  type: string | undefined,
  path: readonly PathSegment[],
  key: string,
): string | undefined {
  if (path.length === 0) {
    const own = type ? BY_TYPE[type]?.[key] : undefined;
    return own ?? BY_ROLE[where][key];
  }
  for (const nested of NESTED)
    if (nested.type === type && matches(nested.at, path) && nested.keys[key]) return nested.keys[key];
  return undefined;
}
