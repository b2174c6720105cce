/**
 * The flow editor's figures, in Debian's Chromium against a running server (not a timed test):
 *   - keystroke to squiggle and keystroke to topology on a 200-task flow (goal: 300 ms each),
 *   - dagre layout of a 500-node topology, in Node and in the page's layout worker (goal: 1 s),
 *   - the JavaScript the flows list loads first, gzipped (goal: 300 KB; Monaco only on the editor).
 *
 *   CADENZA_DATA_DIR=... node bin/cadenza.mjs start --port 3101
 *   npx tsx bench/ui-editor.ts http://127.0.0.1:3101 admin@example.com 'password' API_TOKEN
 */
import { gzipSync } from "node:zlib";
import { chromium, type Page } from "@playwright/test";
import { layoutGraph } from "@/app/flows/_components/editor/layout";
import { drawModel } from "@/app/flows/_components/editor/topology-model";
import { loadFlow } from "@/engine/flow";
import { flowGraph } from "@/engine/graph";
import { builtInRegistry } from "@/plugins";
import { generatedFlow } from "./ui-editor-flows";

const [base = "http://127.0.0.1:3101", email = "", password = "", token = ""] = process.argv.slice(2);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function layoutInNode(): { nodes: number; ms: number } {
  const registry = builtInRegistry();
  const flow = loadFlow(generatedFlow("layout500", 500), { registry }).flow;
  if (!flow) throw new Error("the generated flow does not load");
  const model = drawModel(flowGraph(flow, registry), {
    collapsed: new Set(),
    changes: new Map(),
    direction: "TB",
  });
  layoutGraph({ ...model.request, seq: 0 }); // warm-up
  const runs = [1, 2, 3].map(() => layoutGraph({ ...model.request, seq: 0 }).ms);
  return { nodes: model.nodes.length, ms: median(runs) };
}

async function deploy(source: string) {
  const response = await fetch(`${base}/api/v1/main/flows`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-yaml" },
    body: source,
  });
  if (response.status !== 200 && response.status !== 409)
    throw new Error(`deploy: ${response.status} ${await response.text()}`);
}

interface BenchWindow {
  __bench: { start: number; end: number };
}

/** ms from the keydown of `key` in the page to `appeared` (a JS expression) becoming true on a DOM change. */
async function keyTo(page: Page, key: string, appeared: string): Promise<number> {
  await page.evaluate((appeared) => {
    const w = window as unknown as BenchWindow;
    const check = new Function(`return (${appeared})`) as () => boolean;
    w.__bench = { start: 0, end: 0 };
    const observer = new MutationObserver(() => {
      if (w.__bench.start && !w.__bench.end && check()) {
        w.__bench.end = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    window.addEventListener("keydown", () => (w.__bench.start = performance.now()), {
      once: true,
      capture: true,
    });
  }, appeared);
  await page.keyboard.type(key);
  await page.waitForFunction(() => (window as unknown as BenchWindow).__bench.end > 0, null, {
    timeout: 10_000,
  });
  return page.evaluate(() => {
    const b = (window as unknown as BenchWindow).__bench;
    return b.end - b.start;
  });
}

async function main() {
  const layout = layoutInNode();
  console.log(`layout of ${layout.nodes} nodes in Node (dagre): ${layout.ms.toFixed(0)} ms`);
  if (!email || !token) {
    console.log(
      "browser figures skipped: pass the server URL, an admin's email and password, and an API token",
    );
    return;
  }
  await deploy(generatedFlow("flow200", 200));
  await deploy(generatedFlow("flow500", 500));
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  const page = await context.newPage();
  page.on("dialog", (dialog) => void dialog.accept()); // leaving the edited flow
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));

  // First-load JavaScript of the flows list.
  const scripts = new Map<string, Buffer>();
  page.on("response", async (response) => {
    if (response.request().resourceType() === "script" && response.ok())
      scripts.set(response.url(), await response.body());
  });
  await page.goto(`${base}/flows`, { waitUntil: "load" });
  await page.getByRole("table", { name: "Flows" }).waitFor();
  await page.waitForTimeout(1500);
  const total = [...scripts.values()].reduce((sum, body) => sum + gzipSync(body).length, 0);
  const monaco = [...scripts.values()].some(
    (body) => body.includes("monaco-editor") || body.includes("editor.worker"),
  );
  console.log(
    `/flows first-load JavaScript: ${scripts.size} files, ${(total / 1024).toFixed(0)} KB gzip; Monaco loaded: ${monaco}`,
  );
  page.removeAllListeners("response");

  // Keystroke to squiggle and to topology on the 200-task flow.
  await page.goto(`${base}/flows/bench.ui/flow200/edit`);
  const lines = page.getByTestId("code-editor").locator(".view-lines");
  await lines.waitFor();
  await page.waitForFunction(
    () => Number(document.querySelector("[data-testid=topology]")?.getAttribute("data-nodes")) > 200,
    null,
    { timeout: 60_000 },
  );
  console.log(
    `200-task flow in the page's layout worker: ${await page.getByTestId("topology").getAttribute("data-layout-ms")} ms`,
  );
  const squiggles: number[] = [];
  const topology: number[] = [];
  const goTo = async (line: number, where: "Home" | "End") => {
    await page.keyboard.press("Control+Home");
    for (let i = 1; i < line; i++) await page.keyboard.press("ArrowDown");
    await page.keyboard.press(where);
  };
  await lines.click();
  // Topology first (the graph follows valid YAML only): rename t0..t4 (`  - id: tN` on lines 4, 7, 10...).
  for (let run = 0; run < 5; run++) {
    await goTo(4 + 3 * run, "End");
    topology.push(
      await keyTo(
        page,
        "x",
        `document.querySelector('[data-testid=topology] [data-task-id="t${run}x"]') !== null`,
      ),
    );
  }
  // Then squiggles: misspell the `message` of t0..t4 (lines 6, 9, 12...), one more squiggle each time.
  for (let run = 0; run < 5; run++) {
    await goTo(6 + 3 * run, "Home");
    const before = await page.locator("[data-testid=code-editor] .squiggly-error").count();
    squiggles.push(
      await keyTo(
        page,
        "z",
        `document.querySelectorAll('[data-testid=code-editor] .squiggly-error').length > ${before}`,
      ),
    );
  }
  console.log(
    `keystroke to squiggle (200 tasks): median ${median(squiggles).toFixed(0)} ms of ${squiggles.map((v) => v.toFixed(0)).join(", ")}`,
  );
  console.log(
    `keystroke to topology (200 tasks): median ${median(topology).toFixed(0)} ms of ${topology.map((v) => v.toFixed(0)).join(", ")}`,
  );

  // The 500-task flow's layout in the page's worker.
  await page.goto(`${base}/flows/bench.ui/flow500/edit`);
  await page.waitForFunction(
    () => Number(document.querySelector("[data-testid=topology]")?.getAttribute("data-nodes")) > 500,
    null,
    { timeout: 60_000 },
  );
  const nodes = await page.getByTestId("topology").getAttribute("data-nodes");
  console.log(
    `layout of ${nodes} nodes in Chromium's layout worker: ${await page.getByTestId("topology").getAttribute("data-layout-ms")} ms`,
  );
  await browser.close();
}

await main();
