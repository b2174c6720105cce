// `cadenza flow deploy DIR --server URL --tenant T` (token in CADENZA_TOKEN): GitOps over the REST API.
// Every .yml/.yaml under DIR is validated by the server first (nothing is deployed if one is invalid), then
// each flow is created, updated (a new revision) or left alone when its YAML is unchanged. With
// --delete-missing, flows of the same namespaces that are not in DIR are deleted. --dry-run prints the
// plan (like `terraform plan`) and changes nothing.
import { readFileSync } from "node:fs";
import { parseYamlDocuments } from "@/engine/flow";
import type { CliIo, Command } from "../command";
import { UsageError } from "../command";
import { yamlFiles } from "../flows/load-files";

interface LocalFlow {
  file: string;
  namespace: string;
  id: string;
  source: string;
}

type Step =
  | { kind: "create"; flow: LocalFlow }
  | { kind: "update"; flow: LocalFlow; revision: number }
  | { kind: "unchanged"; flow: LocalFlow; revision: number }
  | { kind: "delete"; namespace: string; id: string; revision: number };

class ServerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function client(server: string, tenant: string, token: string) {
  const base = `${server.replace(/\/+$/, "")}/api/v1/${encodeURIComponent(tenant)}`;
  return async (
    method: string,
    path: string,
    body?: string,
    contentType = "application/x-yaml",
  ): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { "content-type": contentType } : {}),
        },
        ...(body !== undefined ? { body } : {}),
      });
    } catch (error) {
      throw new ServerError(
        0,
        `cannot reach ${server} (${(error as Error).cause ?? (error as Error).message})`,
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const message =
        (json as { message?: string } | undefined)?.message ?? (text.slice(0, 200) || response.statusText);
      const hint =
        response.status === 401
          ? " (check CADENZA_TOKEN: it must be a valid, unexpired API token of this tenant)"
          : response.status === 403
            ? " (the token's roles do not allow it)"
            : "";
      throw new ServerError(response.status, `${method} ${path}: ${response.status} ${message}${hint}`);
    }
    return json;
  };
}

const enc = encodeURIComponent;

async function plan(
  api: ReturnType<typeof client>,
  flows: LocalFlow[],
  deleteMissing: boolean,
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const flow of flows) {
    try {
      const current = (await api("GET", `/flows/${enc(flow.namespace)}/${enc(flow.id)}`)) as {
        revision: number;
        source: string;
      };
      steps.push(
        current.source === flow.source
          ? { kind: "unchanged", flow, revision: current.revision }
          : { kind: "update", flow, revision: current.revision },
      );
    } catch (error) {
      if (error instanceof ServerError && error.status === 404) steps.push({ kind: "create", flow });
      else throw error;
    }
  }
  if (deleteMissing) {
    const wanted = new Set(flows.map((f) => `${f.namespace}/${f.id}`));
    for (const namespace of [...new Set(flows.map((f) => f.namespace))].sort()) {
      const existing = (await api("GET", `/flows/${enc(namespace)}`)) as { id: string; revision: number }[];
      for (const flow of existing)
        if (!wanted.has(`${namespace}/${flow.id}`))
          steps.push({ kind: "delete", namespace, id: flow.id, revision: flow.revision });
    }
  }
  return steps;
}

function describeStep(step: Step): string {
  switch (step.kind) {
    case "create":
      return `+ create    ${step.flow.namespace}.${step.flow.id}  (${step.flow.file})`;
    case "update":
      return `~ update    ${step.flow.namespace}.${step.flow.id}  revision ${step.revision} -> ${step.revision + 1}  (${step.flow.file})`;
    case "unchanged":
      return `  unchanged ${step.flow.namespace}.${step.flow.id}  revision ${step.revision}`;
    case "delete":
      return `- delete    ${step.namespace}.${step.id}  (not in the directory)`;
  }
}

function summary(steps: Step[]): string {
  const count = (kind: Step["kind"]) => steps.filter((s) => s.kind === kind).length;
  return `${count("create")} to create, ${count("update")} to update, ${count("delete")} to delete, ${count("unchanged")} unchanged`;
}

/** Reads DIR and has the server validate each file; returns the flows, or prints file:line:col errors. */
async function readFlows(
  dir: string,
  api: ReturnType<typeof client>,
  io: CliIo,
): Promise<LocalFlow[] | undefined> {
  let files: string[];
  try {
    files = yamlFiles(dir);
  } catch (error) {
    throw new UsageError(
      `cannot read ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const flows: LocalFlow[] = [];
  let invalid = 0;
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const results = (await api("POST", "/flows/validate", text)) as {
      index: number;
      id?: string;
      namespace?: string;
      valid: boolean;
      errors: { line: number; column: number; message: string; path: string }[];
    }[];
    const documents = parseYamlDocuments(text);
    for (const result of results) {
      if (!result.valid) {
        invalid += result.errors.length;
        for (const e of result.errors)
          io.stdout(`${file}:${e.line}:${e.column} ${e.path ? `${e.path}: ` : ""}${e.message}\n`);
        continue;
      }
      const source = documents[result.index]?.source.documentText ?? text;
      flows.push({ file, namespace: result.namespace as string, id: result.id as string, source });
    }
  }
  const seen = new Map<string, string>();
  for (const flow of flows) {
    const key = `${flow.namespace}.${flow.id}`;
    const other = seen.get(key);
    if (other) {
      io.stdout(`${flow.file}:1:1 flow ${key} is also defined in ${other}\n`);
      invalid++;
    }
    seen.set(key, flow.file);
  }
  if (invalid > 0) {
    io.stderr(`cadenza flow deploy: ${invalid} error(s) in ${dir}: nothing was deployed.\n`);
    return undefined;
  }
  if (flows.length === 0) io.stderr(`cadenza flow deploy: no flows (.yml/.yaml files) in ${dir}.\n`);
  return flows;
}

export const flowDeploy: Command = {
  path: ["flow", "deploy"],
  summary: "Create or update every flow of a directory on a Cadenza server (GitOps); token in CADENZA_TOKEN",
  usage: "DIR --server URL --tenant SLUG [--delete-missing] [--dry-run]",
  options: {
    server: { type: "string" },
    tenant: { type: "string" },
    "delete-missing": { type: "boolean" },
    "dry-run": { type: "boolean" },
  },
  optionHelp: {
    server: "the server's base URL, e.g. https://cadenza.example.com",
    tenant: "tenant slug, e.g. main",
    "delete-missing": "also delete the flows of the directory's namespaces that are not in it",
    "dry-run": "print what would change and change nothing",
  },
  positionals: { min: 1, max: 1 },
  async run(args, io) {
    const dir = args.positionals[0] as string;
    const { server, tenant } = args.values;
    if (typeof server !== "string" || typeof tenant !== "string")
      throw new UsageError("--server and --tenant are required");
    if (!/^https?:\/\//.test(server))
      throw new UsageError(`--server must be an http(s) URL (got '${server}')`);
    const { env } = await import("../../server/env");
    const token = env.CADENZA_TOKEN;
    if (!token) {
      io.stderr(
        "cadenza flow deploy: set CADENZA_TOKEN to an API token of the tenant (cadenza token create, or the API tokens page).\n",
      );
      return 2;
    }
    const api = client(server, tenant, token);
    try {
      const flows = await readFlows(dir, api, io);
      if (!flows) return 1;
      const steps = await plan(api, flows, args.values["delete-missing"] === true);
      for (const step of steps) io.stdout(`${describeStep(step)}\n`);
      if (args.values["dry-run"]) {
        io.stdout(`Plan: ${summary(steps)}. (dry run: nothing changed)\n`);
        return 0;
      }
      for (const step of steps) {
        if (step.kind === "create") await api("POST", "/flows", step.flow.source);
        else if (step.kind === "update")
          await api("PUT", `/flows/${enc(step.flow.namespace)}/${enc(step.flow.id)}`, step.flow.source);
        else if (step.kind === "delete") await api("DELETE", `/flows/${enc(step.namespace)}/${enc(step.id)}`);
      }
      io.stdout(`Deployed to ${server} (tenant ${tenant}): ${summary(steps)}.\n`);
      return 0;
    } catch (error) {
      if (error instanceof ServerError) {
        io.stderr(`cadenza flow deploy: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
