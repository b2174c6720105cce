/**
 * Benchmark of the serdes conversions (not a test): `npx tsx bench/serdes.ts [rows]` (default 1,000,000).
 *
 * Writes a CSV file of `rows` orders (6 columns, one quoted field with a comma and a doubled quote per row)
 * into a LocalStorage in a temporary directory, then runs CsvToIon and IonToCsv on the memory engine with the
 * real clock, each in its own execution (then IonToJson, IonToParquet and ParquetToIon), and reports rows/s and the process's peak resident memory. The
 * floor is the same file only streamed from storage and split into lines (no parsing, no writing). Memory
 * must stay flat whatever `rows` is: the conversions stream, so peak RSS should not grow with the file.
 */
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadFlow } from "@/engine/flow";
import { builtInRegistry } from "@/plugins";
import { readLines, readText } from "@/plugins/serdes/stream";
import { MemoryEngine } from "@/worker/memory";
import { LocalStorage } from "@/worker/storage";

export interface SerdesBenchResult {
  name: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  /** Peak resident set size of the process so far, in MiB (getrusage's maxrss). */
  peakRssMiB: number;
  inputMiB: number;
  outputMiB: number;
}

const mib = (bytes: number) => bytes / 1024 / 1024;
const peakRss = () => process.resourceUsage().maxRSS / 1024;

async function writeCsv(path: string, rows: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve()));
  await write("order_id,customer,email,country,amount,comment\n");
  let batch = "";
  for (let i = 0; i < rows; i++) {
    batch += `${i},customer ${i % 5000},c${i % 5000}@example.com,${["FR", "DE", "US", "JP"][i % 4]},${(i % 1000) / 4},"note ${i}, ""as said"""\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = "";
    }
  }
  await write(batch);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

export async function runSerdesBench(rows = 1_000_000): Promise<SerdesBenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "cadenza-bench-serdes-"));
  try {
    const storage = new LocalStorage(dir);
    const source = "kestra:///bench/serdes/inputs/orders.csv";
    const sourcePath = join(dir, "bench/serdes/inputs/orders.csv");
    await writeCsv(sourcePath, rows);
    const inputMiB = mib((await stat(sourcePath)).size);
    const registry = builtInRegistry();
    const engine = new MemoryEngine({ registry, storage });
    const results: SerdesBenchResult[] = [];

    // The floor: stream the file and split it into lines, nothing else.
    let started = performance.now();
    let lines = 0;
    for await (const batch of readLines(readText(storage, source, "UTF-8"))) lines += batch.length;
    let seconds = (performance.now() - started) / 1000;
    results.push({
      name: "floor: stream + split lines",
      rows: lines - 1,
      seconds,
      rowsPerSec: (lines - 1) / seconds,
      peakRssMiB: peakRss(),
      inputMiB,
      outputMiB: 0,
    });

    const convert = async (name: string, type: string, from: string) => {
      const { flow, errors } = loadFlow(
        `id: bench_serdes\nnamespace: bench\ntasks:\n  - id: convert\n    type: ${type}\n    from: "${from}"\n`,
        { registry },
      );
      if (!flow) throw new Error(errors.map((e) => e.message).join("; "));
      started = performance.now();
      const execution = await engine.wait((await engine.start(flow)).id);
      seconds = (performance.now() - started) / 1000;
      const run = execution.taskRunList[0];
      if (execution.state.current !== "SUCCESS" || !run?.outputs)
        throw new Error(`${name}: ${execution.state.current} ${run?.attempts.at(-1)?.error?.message ?? ""}`);
      const uri = String(run.outputs.uri);
      const size = Number(run.outputs.size);
      results.push({
        name,
        rows: size,
        seconds,
        rowsPerSec: size / seconds,
        peakRssMiB: peakRss(),
        inputMiB: mib(await storage.size(from)),
        outputMiB: mib(await storage.size(uri)),
      });
      return uri;
    };
    const ion = await convert("CsvToIon", "io.kestra.plugin.serdes.csv.CsvToIon", source);
    await convert("IonToCsv", "io.kestra.plugin.serdes.csv.IonToCsv", ion);
    await convert("IonToJson", "io.kestra.plugin.serdes.json.IonToJson", ion);
    // CSV -> ION -> Parquet: the schema inferred from the first 100 rows, row groups of 100,000 rows.
    const parquet = await convert("IonToParquet", "io.kestra.plugin.serdes.parquet.IonToParquet", ion);
    await convert("ParquetToIon", "io.kestra.plugin.serdes.parquet.ParquetToIon", parquet);
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const rows = Number(process.argv[2] ?? 1_000_000);
  console.log(`Serdes: ${rows.toLocaleString("en-US")} CSV rows through the memory engine on a LocalStorage`);
  console.log(`peak RSS before any conversion: ${peakRss().toFixed(0)} MiB`);
  const results = await runSerdesBench(rows);
  console.table(
    results.map((r) => ({
      case: r.name,
      rows: r.rows.toLocaleString("en-US"),
      s: r.seconds.toFixed(2),
      "rows/s": Math.round(r.rowsPerSec).toLocaleString("en-US"),
      "x floor": ((results[0]?.rowsPerSec ?? 0) / r.rowsPerSec).toFixed(1),
      "in MiB": r.inputMiB.toFixed(0),
      "out MiB": r.outputMiB.toFixed(0),
      "peak RSS MiB": r.peakRssMiB.toFixed(0),
    })),
  );
}
