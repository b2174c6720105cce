// git.Clone against a real git server on this machine: bare repositories made with `git init --bare`,
// served over HTTP by git's own `git http-backend` (CGI) behind a local Node server that asks for Basic auth.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalProcessRunner } from "@/worker/runners";
import { startGitServer } from "./git-server";
import { errorOf, newEngine, outputsOf, run, taskRun } from "./helpers";

const TEST_SERVER = { allowPrivateNetworks: false, allowedNetworks: ["127.0.0.1/32"] };
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd,
    stdio: "pipe",
  }).toString();

let root: string;
let server: Server;
let base = "";

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "cadenza-git-"));
  // A bare repository with two branches, filled from a scratch clone.
  git(root, "init", "--bare", "-b", "main", "repo.git");
  git(root, "clone", join(root, "repo.git"), "work");
  const work = join(root, "work");
  writeFileSync(join(work, "hello.py"), 'print("hello from main")\n');
  git(work, "add", ".");
  git(work, "commit", "-m", "first");
  writeFileSync(join(work, "hello.py"), 'print("hello again")\n');
  git(work, "commit", "-am", "second");
  git(work, "push", "origin", "HEAD:main");
  git(work, "checkout", "-b", "dev");
  writeFileSync(join(work, "dev.txt"), "dev only\n");
  git(work, "add", ".");
  git(work, "commit", "-m", "dev");
  git(work, "push", "origin", "dev");

  ({ server, url: base } = await startGitServer(root, { username: "ci", password: "token-123" }));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(root, { recursive: true, force: true });
});

const engineOf = () =>
  newEngine({ httpPolicy: TEST_SERVER, processRunner: new LocalProcessRunner({ isolation: false }) }).engine;

describe("git.Clone", () => {
  it("clones a branch into the WorkingDirectory, shallow, for the next task to use", async () => {
    const engine = engineOf();
    const execution = await run(
      engine,
      `id: clone
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: clone
        type: io.kestra.plugin.git.Clone
        url: ${base}/repo.git
        branch: dev
        directory: src
        username: ci
        password: token-123
      - id: use
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - cat src/hello.py src/dev.txt
          - test "$(git -C src rev-list --count HEAD)" = 1
          - test "$(git -C src branch --show-current)" = dev
          - "! grep -q token-123 src/.git/config"
`,
    );
    expect(errorOf(execution, "clone")).toBeUndefined();
    expect(errorOf(execution, "use")).toBeUndefined();
    expect(execution.state.current).toBe("SUCCESS");
    expect(String(outputsOf(execution, "clone").directory)).toMatch(/\/src$/);
  });

  it("fails clearly: wrong token, unknown branch, a private host, a file:// URL, credentials in the URL", async () => {
    const engine = engineOf();
    const flow = (props: string) => `id: clone_fail
namespace: company.team
tasks:
  - id: clone
    type: io.kestra.plugin.git.Clone
${props}`;
    const wrong = await run(
      engine,
      flow(`    url: ${base}/repo.git\n    username: ci\n    password: nope\n`),
    );
    expect(taskRun(wrong, "clone").state.current).toBe("FAILED");
    expect(errorOf(wrong, "clone")).toMatch(/git clone of .* failed: the server refused the credentials/);
    expect(errorOf(wrong, "clone")).not.toContain("nope");

    const branch = await run(
      engine,
      flow(`    url: ${base}/repo.git\n    branch: nope\n    username: ci\n    password: token-123\n`),
    );
    expect(errorOf(branch, "clone")).toMatch(/Remote branch nope not found/);

    const strict = newEngine({ processRunner: new LocalProcessRunner({ isolation: false }) }).engine;
    const blocked = await run(strict, flow(`    url: ${base}/repo.git\n`));
    expect(errorOf(blocked, "clone")).toMatch(/127\.0\.0\.1.*refused: private and local addresses/);

    const file = await run(engine, flow(`    url: file://${root}/repo.git\n`));
    expect(errorOf(file, "clone")).toMatch(
      /only http:\/\/ and https:\/\/ repositories can be used, not file:/,
    );

    const inline = await run(engine, flow(`    url: http://ci:token-123@127.0.0.1/repo.git\n`));
    expect(errorOf(inline, "clone")).toMatch(/url must not contain credentials/);
  });
});
