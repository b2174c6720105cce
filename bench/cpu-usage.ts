/**
 * CPU time spent by this process and the processes it started (the servers a benchmark runs), grouped: this
 * process (its workers and clients), the Temporal server, PostgreSQL, and the rest. Other work on the machine
 * is left out. Read from /proc (Linux only), so where a
 * workload's time goes on a saturated machine can be told apart from how loaded the machine was: CPU per
 * unit of work is much steadier than wall time when other work shares the cores.
 */
import { processTree } from "./proc";

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
  const groups: CpuGroups = {};
  for (const { pid, comm, fields } of processTree(process.pid)) {
    // utime and stime are fields 14 and 15 of proc(5).
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const group = groupOf(pid, comm);
    groups[group] = (groups[group] ?? 0) + seconds;
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
