/** Built-in functions that need no I/O: range, max, min, now, fromJson/json, yaml, render, renderOnce, printContext, currentEachOutput, loopOutputs. */
import { parse as parseYaml } from "yaml";
import { formatNow } from "../dates/index";
import { ExpressionError, errorMessage } from "../errors";
import { IonSyntaxError, parseIonRows } from "../ion-read";
import { compare } from "../operators";
import { type FunctionDef, variadic } from "../registry";
import { getOwn, isList, isMap, MISSING, type PlainMap, sanitize } from "../values";
import { makeRange } from "./range";

function extreme(values: unknown[], op: "<" | ">"): unknown {
  let best: unknown = null;
  for (const v of values) {
    if (best === null || best === undefined) best = v;
    else if (v !== null && v !== undefined && compare(op, v, best)) best = v;
  }
  return best;
}

function fromJson(name: string): FunctionDef {
  return {
    args: ["json"],
    apply: (a) => {
      if (!("json" in a)) throw new ExpressionError(`The '${name}' function expects an argument 'json'.`);
      const json = a.json;
      if (json === null || json === undefined) return null;
      if (typeof json !== "string") {
        throw new ExpressionError(`The '${name}' function expects an argument 'json' with type string.`);
      }
      try {
        return sanitize(JSON.parse(json));
      } catch (e) {
        throw new ExpressionError(`Invalid json: ${errorMessage(e)}`);
      }
    },
  };
}

/**
 * Kestra's fromIon(ion, allRows=false): the first row of an Ion text (one value per line), or every row as a
 * list with `allRows=true` (2.0 reads whole `.ion` files so: `fromIon(read(uri), allRows=true)`).
 */
function fromIon(name: string): FunctionDef {
  return {
    args: ["ion", "allRows"],
    apply: (a) => {
      if (!("ion" in a)) throw new ExpressionError(`The '${name}' function expects an argument 'ion'.`);
      const ion = a.ion;
      if (ion === null || ion === undefined) return null;
      if (typeof ion !== "string") {
        throw new ExpressionError(`The '${name}' function expects an argument 'ion' with type string.`);
      }
      let rows: unknown[];
      try {
        rows = parseIonRows(ion);
      } catch (e) {
        if (e instanceof IonSyntaxError) throw new ExpressionError(`Invalid ion: ${e.message}`);
        throw e;
      }
      if (a.allRows === true) return sanitize(rows);
      return rows.length > 0 ? sanitize(rows[0]) : null;
    },
  };
}

function render(name: string, defaultRecursive: boolean): FunctionDef {
  return {
    args: name === "render" ? ["template", "recursive"] : ["template"],
    apply: (a, cx) => {
      if (!("template" in a))
        throw new ExpressionError(`The '${name}' function expects an argument 'template'.`);
      const template = a.template;
      // Kestra requires a string; non-strings (numbers, maps) pass through unchanged here.
      if (typeof template !== "string") return template ?? null;
      const recursive = a.recursive ?? defaultRecursive;
      if (typeof recursive !== "boolean") {
        throw new ExpressionError(
          `The '${name}' function expects an optional argument 'recursive' with type boolean.`,
        );
      }
      return cx.renderTemplate(template, recursive);
    },
  };
}

export const CORE_FUNCTIONS: Array<[string, FunctionDef]> = [
  [
    "range",
    { args: ["start", "end", "increment"], apply: (a, cx) => makeRange(a.start, a.end, a.increment, cx) },
  ],
  ["max", { apply: (a) => extreme(variadic(a), ">") }],
  ["min", { apply: (a) => extreme(variadic(a), "<") }],
  ["now", { args: ["format", "timeZone", "existingFormat", "locale"], apply: (a, cx) => formatNow(a, cx) }],
  ["fromJson", fromJson("fromJson")],
  ["json", fromJson("json")],
  ["fromIon", fromIon("fromIon")],
  ["ionDecode", fromIon("ionDecode")],
  ["jsonDecode", fromJson("jsonDecode")],
  [
    "yaml",
    {
      args: ["yaml"],
      apply: (a, cx) => {
        if (typeof a.yaml !== "string") {
          throw new ExpressionError("The 'yaml' function expects an argument 'yaml' with type string.");
        }
        cx.charge(Math.ceil(a.yaml.length / 100));
        try {
          return sanitize(parseYaml(a.yaml, { maxAliasCount: 100 }));
        } catch (e) {
          throw new ExpressionError(`Invalid yaml: ${errorMessage(e)}`);
        }
      },
    },
  ],
  ["render", render("render", true)],
  ["renderOnce", render("renderOnce", false)],
  ["printContext", { args: [], apply: (_a, cx) => cx.root }],
  ["fetchContext", { args: [], apply: (_a, cx) => cx.root }],
  [
    "currentEachOutput",
    {
      args: ["outputs"],
      apply: (a, cx) => {
        if (!isMap(a.outputs)) {
          throw new ExpressionError(
            "The 'currentEachOutput' function expects an argument 'outputs' with type map.",
          );
        }
        let outputs: PlainMap = a.outputs;
        const parents = getOwn(cx.root, "parents");
        if (isList(parents)) {
          for (const parent of [...parents].reverse()) {
            const taskrun = isMap(parent) ? getOwn(parent, "taskrun") : MISSING;
            if (!isMap(taskrun)) continue;
            const value = String(getOwn(taskrun, "value"));
            const next = getOwn(outputs, value);
            if (next === MISSING || next === null || !isMap(next)) {
              throw new ExpressionError("No execution outputs for the current task runs path");
            }
            outputs = next;
          }
        }
        const taskrun = getOwn(cx.root, "taskrun");
        if (!isMap(taskrun)) return null;
        const v = getOwn(outputs, String(getOwn(taskrun, "value")));
        return v === MISSING ? null : v;
      },
    },
  ],
  [
    "loopOutputs",
    {
      // Kestra 2.0: loopOutputs(outputs.loop.outputs, 'id') is the list of one declared output, per iteration.
      args: ["outputs", "id"],
      apply: (a) => {
        let list = a.outputs;
        if (isMap(list)) list = getOwn(list, "outputs");
        if (!isList(list)) {
          throw new ExpressionError(
            "The 'loopOutputs' function expects an argument 'outputs' with type list (a Loop's outputs).",
          );
        }
        if (typeof a.id !== "string") {
          throw new ExpressionError("The 'loopOutputs' function expects an argument 'id' with type string.");
        }
        const id = a.id;
        return list.map((entry) => {
          const outputs = isMap(entry) ? getOwn(entry, "outputs") : MISSING;
          const value = isMap(outputs) ? getOwn(outputs, id) : MISSING;
          return value === MISSING ? null : value;
        });
      },
    },
  ],
];
