/**
 * The processes of a tree, read from /proc (Linux only), for benchmarks that account what the servers they
 * start cost: each process's parent, name and `stat` fields.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** The fields after `comm`, from `state` on: field n of proc(5) is `fields[n - 3]`. */
  fields: string[];
}

/** `root` and its descendants alive now. */
export function processTree(root: number): ProcStat[] {
  const rows: ProcStat[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ")".
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    rows.push({ pid, ppid: Number(fields[1]), comm: stat.slice(stat.indexOf("(") + 1, close), fields });
  }
  const ours = new Set([root]);
  // Parents may come after children in /proc's order: repeat until the set stops growing.
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows)
      if (!ours.has(row.pid) && ours.has(row.ppid)) {
        ours.add(row.pid);
        grew = true;
      }
  }
  return rows.filter((row) => ours.has(row.pid));
}
