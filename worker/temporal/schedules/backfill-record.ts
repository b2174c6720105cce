import type { Backfill } from "../../embedded/scheduler";

/**
 * A backfill as the triggers page reads it (trigger_states.backfill, the embedded engine's shape: start,
 * end, inputs, labels, paused, done/total...), plus when it was asked for: the scheduled runs tell a
 * backfill's time from a live one by it, and its dedupe keys carry it (a second backfill of the same
 * dates runs them again, as Kestra's does).
 */
export type TemporalBackfill = Backfill & { requestedAt?: string };
