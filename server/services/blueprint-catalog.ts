// Cadenza's own blueprints: the folders of blueprints/ (see blueprints/README.md), each a plain Kestra flow
// (flow.yaml) with its metadata beside it (blueprint.yaml) and any companion flows it needs. Read from disk
// once per process; test/blueprints validates and runs every one of them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { loadFlow } from "@/engine/flow";
import type { PluginRegistry } from "@/engine/plugin";
import { builtInRegistry } from "@/plugins";

/** Stands for the URL of a local test server in a blueprint's test inputs and KV entries. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
export const TEST_SERVER = "${TEST_SERVER}";
/** Replaced by the port of a local SMTP server (host 127.0.0.1, no TLS) in a blueprint's test values. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
export const TEST_SMTP_PORT = "${TEST_SMTP_PORT}";
/**
 * Replaced by the URL of a local git server (HTTP, Basic auth `blueprints` / `blueprint-git-token`) serving
 * `scripts.git`: `etl/count_rows.sh` and `data/orders.csv` on `main`.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
export const TEST_GIT_URL = "${TEST_GIT_URL}";

/**
 * Replaced by a local S3-compatible server's endpoint and an access key it accepts (the blueprint test
 * starts moto, test/moto.ts, with a bucket `orders-exports`); a blueprint that uses them is reported skipped
 * where moto is not installed.
 */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
export const TEST_S3_ENDPOINT = "${TEST_S3_ENDPOINT}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
export const TEST_S3_ACCESS_KEY_ID = "${TEST_S3_ACCESS_KEY_ID}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder in YAML, not a JavaScript template
export const TEST_S3_SECRET_ACCESS_KEY = "${TEST_S3_SECRET_ACCESS_KEY}";

export const BLUEPRINT_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

const record = z.record(z.string(), z.unknown());

/** How the blueprint is tried: the inputs a person can start it with, and what the test expects. */
const testSpec = z.strictObject({
  /** Inputs to run it with; `${TEST_SERVER}` is replaced by the URL of a local test server. */
  inputs: record.optional(),
  /** Final state of the execution that is started (or of the webhook's). */
  state: z.enum(["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"]).optional(),
  /** Flow outputs the execution ends with (a subset). */
  outputs: record.optional(),
  /** Labels the execution ends with (a subset). */
  labels: z.record(z.string(), z.string()).optional(),
  /** Tasks that must not have run. */
  notRun: z.array(z.string()).optional(),
  /** Other flow files of the folder, deployed first (subflows, upstream flows). */
  companions: z.array(z.string()).optional(),
  /** The flow to start, when it is a companion rather than the blueprint's own flow. */
  start: z.strictObject({ namespace: z.string(), flowId: z.string() }).optional(),
  /** Start through the flow's webhook with this key and JSON body instead. */
  webhook: z.strictObject({ key: z.string(), body: record }).optional(),
  /** Inputs given when resuming a paused execution (Pause with onResume). */
  resume: record.optional(),
  /** An execution a trigger must start, and the state it must end in. */
  triggered: z.strictObject({ flowId: z.string(), state: z.string() }).optional(),
  /** KV entries (in the blueprint flow's namespace) set before it runs. */
  kv: z.record(z.string(), z.string()).optional(),
  /**
   * Namespace boundaries to open first, as a person does on the target namespace's page: each target
   * namespace with the namespaces allowed to reach it (its KV, executions, flow triggers...).
   */
  allowedNamespaces: z.record(z.string(), z.array(z.string())).optional(),
  /** Secrets the flow reads. */
  secrets: z.record(z.string(), z.string()).optional(),
  /** Requests the test server must receive, as "METHOD /path". */
  requests: z.array(z.string()).optional(),
  /** Emails the test SMTP server must receive: the subject, and the names of the attached files. */
  mails: z
    .array(z.strictObject({ subject: z.string(), attachments: z.array(z.string()).optional() }))
    .optional(),
  /**
   * Command-line tools the flow runs that CI may not have (`terraform`): the test reports the blueprint
   * skipped where the tool is not on the scripts' PATH.
   */
  tools: z.array(z.enum(["terraform"])).optional(),
  /** Executions started one after the other (to show concurrency limits). */
  runs: z.number().int().min(1).max(5).optional(),
});

export const blueprintMetadata = z.strictObject({
  title: z.string().min(1).max(120),
  description: z.string().min(1),
  tags: z.array(z.string().min(1).max(40)).min(1),
  test: testSpec,
});

export type BlueprintTest = z.output<typeof testSpec>;

export interface CatalogBlueprint {
  id: string;
  title: string;
  /** Markdown. */
  description: string;
  tags: string[];
  /** The flow's YAML, exactly as in the file. */
  source: string;
  namespace: string;
  flowId: string;
  /** Canonical plugin types the flow uses (tasks, triggers, conditions), sorted. */
  types: string[];
  companions: { file: string; source: string }[];
  test: BlueprintTest;
}

/** Every plugin type named anywhere in a parsed YAML document, in its canonical form. */
export function typesOf(document: unknown, registry: PluginRegistry): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) {
        if (key === "type" && typeof child === "string") {
          const plugin = registry.get(child);
          if (plugin) found.add(plugin.type);
        } else walk(child);
      }
    }
  };
  walk(document);
  return [...found].sort();
}

/** Loads one blueprint folder; throws with the folder and the problem when anything is wrong. */
export function loadBlueprint(dir: string, registry: PluginRegistry = builtInRegistry()): CatalogBlueprint {
  const id = path.basename(dir);
  const fail = (message: string): never => {
    throw new Error(`blueprint ${id}: ${message}`);
  };
  if (!BLUEPRINT_ID.test(id)) fail("the folder name must be lower-case letters, digits and dashes");
  const parsed = blueprintMetadata.safeParse(
    parseYaml(readFileSync(path.join(dir, "blueprint.yaml"), "utf8")),
  );
  if (!parsed.success) fail(`blueprint.yaml: ${z.prettifyError(parsed.error)}`);
  const meta = parsed.data as z.output<typeof blueprintMetadata>;
  const source = readFileSync(path.join(dir, "flow.yaml"), "utf8");
  const { flow, errors } = loadFlow(source, { registry });
  if (!flow) fail(`flow.yaml: ${errors.map((e) => `${e.line}:${e.column} ${e.message}`).join("; ")}`);
  const companions = (meta.test.companions ?? []).map((file) => {
    const full = path.join(dir, file);
    if (path.dirname(full) !== dir || !existsSync(full))
      fail(`companion ${file} is not a file of the folder`);
    return { file, source: readFileSync(full, "utf8") };
  });
  return {
    id,
    title: meta.title,
    description: meta.description,
    tags: meta.tags,
    source,
    namespace: flow?.namespace ?? "",
    flowId: flow?.id ?? "",
    types: typesOf(parseYaml(source), registry),
    companions,
    test: meta.test,
  };
}

/** Every blueprint of a folder (sub-folders with a blueprint.yaml), sorted by title. */
export function loadCatalog(root: string, registry: PluginRegistry = builtInRegistry()): CatalogBlueprint[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, "blueprint.yaml")))
    .map((entry) => loadBlueprint(path.join(root, entry.name), registry))
    .sort((a, b) => a.title.localeCompare(b.title));
}
