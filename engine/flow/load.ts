import { z } from "zod";
import type { PluginRegistry } from "../plugin/registry";
import type { Plugin, PluginKind } from "../plugin/types";
import { commonConditionShape, commonTaskShape, commonTriggerShape } from "./common";
import type { FlowError, PathSegment } from "./errors";
import { expressionMixups } from "./expression-mixups";
import { flowSchema, type PluginDefault } from "./flow-schema";
import { issuesToErrors } from "./issues";
import { mixupHint } from "./mixups";
import { type Flow, normaliseLabels, type Task, type Trigger } from "./model";
import { applyPluginDefaults } from "./plugin-defaults";
import { findSlots, getAt, keysAt, setAt } from "./slots";
import { type FlowSource, parseYamlDocuments } from "./source";
import { validateFlowSemantics } from "./validate";

export interface LoadOptions {
  registry: PluginRegistry;
  /** Plugin defaults configured outside the flow (namespace or tenant level). */
  defaults?: readonly PluginDefault[];
}

export interface FlowLoad {
  /** The validated flow, present only when there are no errors. */
  flow?: Flow;
  errors: FlowError[];
  /** Deprecations and other things worth knowing that do not stop the flow. */
  warnings: FlowError[];
  source: FlowSource;
}

type Role = "task" | "trigger" | "condition";

const ROLE_KINDS: Record<Role, PluginKind[]> = {
  task: ["runnable", "flowable"],
  trigger: ["trigger"],
  condition: ["condition"],
};

const ROLE_SHAPES = { task: commonTaskShape, trigger: commonTriggerShape, condition: commonConditionShape };

/** One strict schema per (plugin, role): common properties plus the plugin's own. Built once. */
const schemaCache = new WeakMap<Plugin, z.ZodObject>();
export function fullSchemaOf(plugin: Plugin): z.ZodObject {
  let schema = schemaCache.get(plugin);
  if (!schema) {
    const role: Role =
      plugin.kind === "trigger" ? "trigger" : plugin.kind === "condition" ? "condition" : "task";
    schema = z.strictObject({ ...ROLE_SHAPES[role], ...plugin.schema.shape });
    // Keep the plugin's own refinements (e.g. a cron check): spreading the shape alone would drop them.
    const checks = (plugin.schema.def as { checks?: z.core.$ZodCheck<Record<string, unknown>>[] }).checks;
    if (checks?.length) schema = schema.check(...checks);
    schemaCache.set(plugin, schema);
  }
  return schema;
}

class Loader {
  readonly errors: FlowError[] = [];
  readonly warnings: FlowError[] = [];
  private flowDefaults: PluginDefault[] = [];
  private flowRef: { id?: string; namespace?: string } = {};
  /** Where each validated task/trigger sits in the document, for errors found after loading. */
  readonly paths = new WeakMap<object, PathSegment[]>();

  constructor(
    private readonly source: FlowSource,
    private readonly options: LoadOptions,
  ) {}

  load(value: unknown): Flow | undefined {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.errors.push(this.source.error([], "a flow is a YAML map with at least id, namespace and tasks"));
      return undefined;
    }
    const raw = value as Record<string, unknown>;
    this.flowRef = {
      id: typeof raw.id === "string" ? raw.id : undefined,
      namespace: typeof raw.namespace === "string" ? raw.namespace : undefined,
    };
    const parsed = flowSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) {
      this.errors.push(
        ...issuesToErrors(
          this.source,
          [],
          parsed.error.issues,
          (p) => keysAt(flowSchema, p),
          (p, key) => mixupHint("flow", undefined, p, key),
        ),
      );
    }
    const defaults = parsed.success ? parsed.data : undefined;
    this.flowDefaults = [...(defaults?.pluginDefaults ?? []), ...(defaults?.taskDefaults ?? [])];
    if (raw.taskDefaults !== undefined) {
      this.warnings.push(
        this.source.error(["taskDefaults"], "taskDefaults is deprecated: use pluginDefaults", { key: true }),
      );
    }

    // Kestra 2.0 makes an input with defaults required; 1.x's `required: false` beside defaults behaves the
    // same (the defaults fill a missing value), so it stays accepted, with a warning.
    if (Array.isArray(raw.inputs)) {
      raw.inputs.forEach((input: unknown, index: number) => {
        const map = input as Record<string, unknown> | null;
        if (map && typeof map === "object" && map.defaults !== undefined && map.required === false) {
          this.warnings.push(
            this.source.error(
              ["inputs", index, "required"],
              "an input with defaults is always required (Kestra 2.0): remove 'required: false'",
              { key: true },
            ),
          );
        }
      });
    }

    const lists = ["tasks", "errors", "finally", "afterExecution"] as const;
    const taskLists = Object.fromEntries(
      lists.map((name) => [name, this.items(raw[name], [name], "task") as Task[]]),
    ) as Record<(typeof lists)[number], Task[]>;
    const triggers = this.items(raw.triggers, ["triggers"], "trigger") as Trigger[];

    if (!parsed.success) return undefined;
    const data = parsed.data;
    const flow: Flow = {
      id: data.id,
      namespace: data.namespace,
      revision: data.revision ?? 1,
      description: data.description,
      labels: normaliseLabels(data.labels),
      inputs: data.inputs ?? [],
      outputs: data.outputs ?? [],
      variables: data.variables ?? {},
      ...taskLists,
      triggers,
      pluginDefaults: this.flowDefaults,
      concurrency: data.concurrency,
      retry: data.retry,
      sla: data.sla ?? [],
      checks: (data.checks ?? []).map(({ when, condition, message, style, behavior }) => ({
        when: when ?? condition ?? "",
        message,
        style,
        behavior,
      })),
      disabled: data.disabled,
      deleted: data.deleted,
      tenantId: data.tenantId,
      workerGroup: data.workerGroup,
    };
    if (this.errors.length > 0) return undefined;
    validateFlowSemantics(flow, this.source, this.options.registry, this.errors, this.paths);
    if (this.errors.length > 0) return undefined;
    expressionMixups(flow, this.options.registry, this.source, this.paths, (w) => this.warnings.push(w));
    return flow;
  }

  /** Validates a list of tasks, triggers or conditions found at `path`. */
  private items(list: unknown, path: PathSegment[], role: Role): unknown[] {
    if (!Array.isArray(list)) return [];
    const out: unknown[] = [];
    list.forEach((item, index) => {
      const validated = this.item(item, [...path, index], role);
      if (validated) out.push(validated);
    });
    return out;
  }

  private item(raw: unknown, path: PathSegment[], role: Role): Record<string, unknown> | undefined {
    const what =
      role === "condition" ? "a condition (a map with a type)" : `a ${role} (a map with id and type)`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      this.errors.push(this.source.error(path, `expected ${what}`));
      return undefined;
    }
    const map = raw as Record<string, unknown>;
    if (typeof map.type !== "string") {
      this.errors.push(
        this.source.error(
          [...path, "type"],
          map.type === undefined ? "missing required property 'type'" : "type must be a string",
        ),
      );
      return undefined;
    }
    const plugin = this.options.registry.get(map.type);
    if (!plugin || !ROLE_KINDS[role].includes(plugin.kind)) {
      const suggestions = this.options.registry.suggest(map.type, ROLE_KINDS[role]);
      const hint = suggestions.length ? `; did you mean ${suggestions.map((s) => `'${s}'`).join(", ")}?` : "";
      const kindName = plugin?.kind === "runnable" || plugin?.kind === "flowable" ? "task" : plugin?.kind;
      const reason = plugin
        ? `'${map.type}' is a ${kindName}, not a ${role}`
        : `unknown ${role} type '${map.type}'`;
      this.errors.push(this.source.error([...path, "type"], `${reason}${hint}`));
      return undefined;
    }
    if (plugin.deprecated) {
      this.warnings.push(
        this.source.error([...path, "type"], `${map.type} is deprecated: ${plugin.deprecated}`),
      );
    }
    const withDefaults = applyPluginDefaults(map, plugin, this.flowDefaults, this.options.defaults);
    const schema = fullSchemaOf(plugin);
    const parsed = schema.safeParse(withDefaults, { reportInput: true });
    if (!parsed.success) {
      this.errors.push(
        ...issuesToErrors(
          this.source,
          path,
          parsed.error.issues,
          (p) => keysAt(schema, p),
          (p, key) => (role === "condition" ? undefined : mixupHint(role, plugin.type, p, key)),
        ),
      );
    }
    // Nested tasks and conditions are validated against their own plugins, even when the parent had errors.
    const result = parsed.success ? (parsed.data as Record<string, unknown>) : undefined;
    const errorsBeforeChildren = this.errors.length;
    for (const slot of findSlots(schema, withDefaults)) {
      const slotValue = getAt(withDefaults, slot.path);
      const slotPath = [...path, ...slot.path];
      if (slot.single) {
        const child = this.item(slotValue, slotPath, slot.kind);
        if (result) setAt(result, slot.path, child);
      } else {
        const children = this.items(slotValue, slotPath, slot.kind);
        if (result) setAt(result, slot.path, children);
      }
    }
    if (result && plugin.validate && this.errors.length === errorsBeforeChildren) {
      const errorsBefore = this.errors.length;
      plugin.validate(result as never, {
        flow: this.flowRef,
        error: (relative, message) => this.errors.push(this.source.error([...path, ...relative], message)),
      });
      if (this.errors.length > errorsBefore) return undefined;
    }
    if (result && role === "trigger" && result.labels) result.labels = normaliseLabels(result.labels);
    if (result) this.paths.set(result, path);
    return result;
  }
}

/** Loads every document of a YAML text (`---` separated), each as a flow. */
export function loadFlows(text: string, options: LoadOptions): FlowLoad[] {
  return parseYamlDocuments(text).map(({ source, value, errors }) => {
    if (errors.length > 0) return { errors, warnings: [], source };
    const loader = new Loader(source, options);
    const flow = loader.load(value);
    return { flow, errors: loader.errors, warnings: loader.warnings, source };
  });
}

/** Loads a single flow. A text with several documents is an error: use loadFlows for bulk validation. */
export function loadFlow(text: string, options: LoadOptions): FlowLoad {
  const loads = loadFlows(text, options);
  const [first] = loads;
  if (!first) {
    const source = (parseYamlDocuments("{}")[0] as { source: FlowSource }).source;
    return {
      errors: [{ path: "", line: 1, column: 1, message: "the document is empty" }],
      warnings: [],
      source,
    };
  }
  if (loads.length > 1) {
    const second = loads[1] as FlowLoad;
    return {
      errors: [
        {
          path: "",
          ...second.source.position([]),
          message: "expected one flow, found several YAML documents",
        },
      ],
      warnings: [],
      source: first.source,
    };
  }
  return first;
}
