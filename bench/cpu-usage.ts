/**
 * CPU time spent by this process and the processes it started (the servers a benchmark runs), grouped: this
 * process (its workers and clients), the Temporal server, PostgreSQL, and the rest. Other work on the machine
 * is left out. Read from /proc (Linux only), so where a
 * workload's time goes on a saturated machine can be told apart from how loaded the machine was: CPU per
 * unit of work is much steadier than wall time when other work shares the cores.
 */
import { readdirSync, readFileSync } from "node:fs";

export type CpuGroups = Record<string, number>;

const TICKS_PER_SECOND = 100; // Linux's USER_HZ on every architecture Node runs on

function groupOf(pid: number, comm: string): string {
  if (pid === process.pid) return "this process";
  if (comm === "temporal") return "Temporal server";
  if (comm === "postgres") return "PostgreSQL";
  return "other";
}

/** Seconds of CPU (user + system) per group, of this process and its descendants alive now. */
export function cpuSnapshot(): CpuGroups {
  const rows: { pid: number; ppid: number; comm: string; seconds: number }[] = [];
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
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // After comm: state is field 3, utime field 14, stime field 15 (1-based, proc(5)).
    const ticks = Number(fields[11]) + Number(fields[12]);
    rows.push({ pid, ppid: Number(fields[1]), comm, seconds: ticks / TICKS_PER_SECOND });
  }
  const ours = new Set([process.pid]);
  // Parents may come after children in /proc's order: repeat until the set stops growing.
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows)
      if (!ours.has(row.pid) && ours.has(row.ppid)) {
        ours.add(row.pid);
        grew = true;
      }
  }
  const groups: CpuGroups = {};
  for (const row of rows) {
    if (!ours.has(row.pid)) continue;
    const group = groupOf(row.pid, row.comm);
    groups[group] = (groups[group] ?? 0) + row.seconds;
  }
  return groups;
}

/** CPU milliseconds per unit of work between two snapshots, by group (processes that ended are not counted). */
export function cpuPerUnit(before: CpuGroups, after: CpuGroups, units: number): Record<string, string> {
  const out: Record<string, string> = {};
  let total = 0;
  for (const group of Object.keys(after).sort()) {
    const ms = (((after[group] ?? 0) - (before[group] ?? 0)) * 1000) / units;
    if (ms <= 0) continue;
    total += ms;
    out[group] = ms.toFixed(2);
  }
  out.total = total.toFixed(2);
  return out;
}
