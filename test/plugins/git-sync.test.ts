// git.SyncFlows, PushFlows, SyncNamespaceFiles and PushNamespaceFiles on a Cadenza server (the API harness:
// PostgreSQL, the server's flow service with its audit entries) against a real git server on this machine:
// bare repositories made with `git init --bare`, served by `git http-backend` behind Basic auth.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpApi } from "../api/harness";
import { startGitServer } from "./git-server";

const api = setUpApi({
  runtime: true,
  httpPolicy: { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] },
  scripts: { isolation: false },
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd,
    stdio: "pipe",
  }).toString();

let root: string;
let server: Server;
let base = "";
let work = "";

const HELLO = `id: hello
namespace: anything
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hello from git
`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "cadenza-git-sync-"));
  git(root, "init", "--bare", "-b", "main", "repo.git");
  git(root, "init", "--bare", "-b", "main", "out.git");
  git(root, "clone", join(root, "repo.git"), "work");
  work = join(root, "work");
  mkdirSync(join(work, "_flows", "etl"), { recursive: true });
  mkdirSync(join(work, "_files", "scripts"), { recursive: true });
  writeFileSync(join(work, "_flows", "hello.yml"), HELLO);
  writeFileSync(
    join(work, "_flows", "etl", "load.yaml"),
    "id: load\nnamespace: x\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: load\n",
  );
  writeFileSync(join(work, "_files", "scripts", "main.py"), 'print("from git")\n');
  writeFileSync(join(work, "README.md"), "not synced\n");
  git(work, "add", ".");
  git(work, "commit", "-m", "flows and files");
  git(work, "push", "origin", "HEAD:main");
  ({ server, url: base } = await startGitServer(root, { username: "ci", password: "token-123" }));
}, 60_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

/** The ERROR logs of an execution: none for an execution that succeeded (shown when it did not). */
const errors = async (executionId: string) =>
  (
    await api.query<{ message: string }>(
      "select message from log_entries where execution_id = $1 and level = 'ERROR'",
      [executionId],
    )
  ).map((l) => l.message);

const LOGIN = "    username: ci\n    password: token-123\n";

describe("git sync and push tasks on the server", () => {
  it("syncs flows and namespace files from Git, audited, then pushes them back to another repository", async () => {
    const { token } = await api.admin("gitops", "admin@gitops.test");
    const call = (method: string, path: string, body?: unknown) =>
      api.call(method, `gitops/${path}`, { token, ...(body !== undefined ? { body } : {}) });
    // A flow of company.team that no file defines: deleted by the sync (delete: true).
    await api.deploy(
      "gitops",
      token,
      "id: stale\nnamespace: company.team.etl\ntasks:\n  - id: l\n    type: io.kestra.plugin.core.log.Log\n    message: old\n",
    );
    // A parent namespace reaches a child's flows only when the child allows it (the namespace boundary).
    const allowed = await call("PUT", "namespaces/company.team.etl/allowed-namespaces", {
      allowedNamespaces: ["company.team"],
    });
    expect(allowed.status).toBe(200);
    await api.deploy(
      "gitops",
      token,
      `id: sync
namespace: company.team
tasks:
  - id: dry
    type: io.kestra.plugin.git.SyncFlows
    url: ${base}/repo.git
${LOGIN}    targetNamespace: company.team
    includeChildNamespaces: true
    delete: true
    dryRun: true
  - id: flows
    type: io.kestra.plugin.git.SyncFlows
    url: ${base}/repo.git
${LOGIN}    targetNamespace: company.team
    includeChildNamespaces: true
    delete: true
  - id: files
    type: io.kestra.plugin.git.SyncNamespaceFiles
    url: ${base}/repo.git
${LOGIN}    gitDirectory: _files
`,
    );
    const run = await call("POST", "executions/company.team/sync?wait=true");
    const execution = run.json as {
      id: string;
      state: { current: string };
      taskRunList: { taskId: string; outputs?: Record<string, unknown> }[];
    };
    expect(await errors(execution.id)).toEqual([]);
    expect(execution.state.current).toBe("SUCCESS");
    const outputs = (id: string) => execution.taskRunList.find((r) => r.taskId === id)?.outputs ?? {};
    const dry = outputs("dry").flows as { flowId: string; syncState: string }[];
    expect(dry.map((f) => `${f.flowId}:${f.syncState}`).sort()).toEqual([
      "hello:ADDED",
      "load:ADDED",
      "stale:DELETED",
    ]);
    const synced = outputs("flows").flows as {
      namespace: string;
      flowId: string;
      syncState: string;
      revision: number;
    }[];
    expect(synced.map((f) => `${f.namespace}.${f.flowId}:${f.syncState}:${f.revision}`).sort()).toEqual([
      "company.team.etl.load:ADDED:1",
      "company.team.etl.stale:DELETED:1",
      "company.team.hello:ADDED:1",
    ]);

    // Saved through the flow service: the flow is there with its namespace rewritten, and runs.
    const hello = await call("GET", "flows/company.team/hello");
    expect(hello.status).toBe(200);
    expect((hello.json as { source: string }).source).toContain("namespace: company.team\n");
    expect((await call("GET", "flows/company.team.etl/stale")).status).toBe(404);
    const helloRun = await call("POST", "executions/company.team/hello?wait=true");
    expect((helloRun.json as { state: { current: string } }).state.current).toBe("SUCCESS");

    // Each change has an audit entry naming the execution that made it.
    const audits = await api.query<{
      action: string;
      resource_id: string;
      actor_type: string;
      actor_id: string;
    }>(
      "select action, resource_id, actor_type, actor_id from audit_logs where actor_id = $1 order by resource_id",
      [execution.id],
    );
    expect(audits).toEqual([
      {
        action: "CREATE",
        resource_id: "company.team.etl.load",
        actor_type: "SYSTEM",
        actor_id: execution.id,
      },
      {
        action: "DELETE",
        resource_id: "company.team.etl.stale",
        actor_type: "SYSTEM",
        actor_id: execution.id,
      },
      { action: "CREATE", resource_id: "company.team.hello", actor_type: "SYSTEM", actor_id: execution.id },
    ]);

    // The namespace file came from _files/.
    const file = await call("GET", "namespaces/company.team/files?path=/scripts/main.py");
    expect(file.text).toBe('print("from git")\n');

    // A second sync changes nothing.
    const again = (await call("POST", "executions/company.team/sync?wait=true")).json as typeof execution;
    expect(await errors(again.id)).toEqual([]);
    expect(again.state.current).toBe("SUCCESS");
    const second = again.taskRunList.find((r) => r.taskId === "flows")?.outputs?.flows as {
      syncState: string;
    }[];
    expect(second.map((f) => f.syncState)).toEqual(["UNCHANGED", "UNCHANGED"]);

    // Push the flows (as prod) and the namespace files to an empty repository, on a new branch.
    await api.deploy(
      "gitops",
      token,
      `id: push
namespace: company.team
tasks:
  - id: flows
    type: io.kestra.plugin.git.PushFlows
    url: ${base}/out.git
${LOGIN}    branch: release
    targetNamespace: prod
    includeChildNamespaces: true
    flows: ["hello", "load"]
    commitMessage: "flows of {{ flow.namespace }}"
    authorName: Cadenza Bot
    authorEmail: bot@example.com
  - id: files
    type: io.kestra.plugin.git.PushNamespaceFiles
    url: ${base}/out.git
${LOGIN}    branch: release
    files: "scripts/**"
  - id: again
    type: io.kestra.plugin.git.PushFlows
    url: ${base}/out.git
${LOGIN}    branch: release
    targetNamespace: prod
    includeChildNamespaces: true
    flows: ["hello", "load"]
`,
    );
    const pushed = (await call("POST", "executions/company.team/push?wait=true")).json as typeof execution;
    expect(await errors(pushed.id)).toEqual([]);
    expect(pushed.state.current).toBe("SUCCESS");
    const pushedOutputs = (id: string) => pushed.taskRunList.find((r) => r.taskId === id)?.outputs ?? {};
    const check = join(root, "check");
    git(root, "clone", "-q", "-b", "release", join(root, "out.git"), check);
    expect(git(check, "log", "--format=%an <%ae>|%s").trim().split("\n")).toEqual([
      "ci <ci@users.noreply.cadenza>|Add files from company.team namespace",
      "Cadenza Bot <bot@example.com>|flows of company.team",
    ]);
    expect(git(check, "ls-files").trim().split("\n")).toEqual([
      "_files/scripts/main.py",
      "_flows/etl/load.yml",
      "_flows/hello.yml",
    ]);
    expect(git(check, "show", "HEAD~1:_flows/etl/load.yml")).toContain("namespace: prod.etl\n");
    expect(pushedOutputs("flows").commitId).toBe(git(check, "rev-parse", "HEAD~1").trim());
    expect(pushedOutputs("flows").commitURL).toBe(`${base}/out/commit/${pushedOutputs("flows").commitId}`);
    // Nothing changed the second time: no commit.
    expect(pushedOutputs("again").commitId).toBeUndefined();

    // The diff file lists the added flow files.
    const diffUri = String(pushedOutputs("flows").diff);
    const diff = await api.call(
      "GET",
      `gitops/executions/${pushed.id}/file?path=${encodeURIComponent(diffUri)}`,
      { token },
    );
    expect(
      diff.text
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { file: "_flows/etl/load.yml", additions: 6, deletions: 0, changes: 6, changeType: "ADDED" },
      { file: "_flows/hello.yml", additions: 6, deletions: 0, changes: 6, changeType: "ADDED" },
    ]);
  }, 120_000);

  it("fails clearly without changing anything when a flow file is invalid, and refuses file:// URLs", async () => {
    const { token } = await api.admin("gitbad", "admin@gitbad.test");
    writeFileSync(
      join(work, "_flows", "broken.yml"),
      "id: broken\nnamespace: x\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Nope\n",
    );
    git(work, "add", ".");
    git(work, "commit", "-m", "broken");
    git(work, "push", "origin", "HEAD:main");
    await api.deploy(
      "gitbad",
      token,
      `id: sync
namespace: company.team
tasks:
  - id: flows
    type: io.kestra.plugin.git.SyncFlows
    url: ${base}/repo.git
${LOGIN}    targetNamespace: company.team
`,
    );
    const run = (await api.call("POST", "gitbad/executions/company.team/sync?wait=true", { token })).json as {
      state: { current: string };
      id: string;
    };
    expect(run.state.current).toBe("FAILED");
    const logs = await api.query<{ message: string }>(
      "select message from log_entries where execution_id = $1 and level = 'ERROR'",
      [run.id],
    );
    expect(logs.map((l) => l.message).join("\n")).toMatch(
      /invalid flow file\(s\), nothing synced .*broken\.yml: line 5/,
    );
    expect((await api.call("GET", "gitbad/flows/company.team/hello", { token })).status).toBe(404);

    // Past the invalid file, a child namespace that does not allow company.team stops the sync.
    await api.deploy(
      "gitbad",
      token,
      `id: children
namespace: company.team
tasks:
  - id: flows
    type: io.kestra.plugin.git.SyncFlows
    url: ${base}/repo.git
${LOGIN}    targetNamespace: company.team
    includeChildNamespaces: true
    ignoreInvalidFlows: true
`,
    );
    const denied = (await api.call("POST", "gitbad/executions/company.team/children?wait=true", { token }))
      .json as { state: { current: string }; id: string };
    expect(denied.state.current).toBe("FAILED");
    expect(await errors(denied.id)).toContain(
      "namespace 'company.team' may not reach 'company.team.etl': add it to company.team.etl's allowed namespaces",
    );
    expect((await api.call("GET", "gitbad/flows/company.team.etl/load", { token })).status).toBe(404);

    await api.deploy(
      "gitbad",
      token,
      `id: local
namespace: company.team
tasks:
  - id: flows
    type: io.kestra.plugin.git.PushFlows
    url: file://${root}/out.git
`,
    );
    const local = (await api.call("POST", "gitbad/executions/company.team/local?wait=true", { token }))
      .json as {
      state: { current: string };
      id: string;
    };
    expect(local.state.current).toBe("FAILED");
    const refused = await api.query<{ message: string }>(
      "select message from log_entries where execution_id = $1 and level = 'ERROR'",
      [local.id],
    );
    expect(refused.map((l) => l.message).join("\n")).toMatch(
      /only http:\/\/ and https:\/\/ repositories can be used, not file:/,
    );
  }, 120_000);
});
