import type { CliIo } from "../command";
import {
  type EmbeddedRunOptions,
  type FlowRunner,
  type FlowRunnerOptions,
  openFlowRunner,
  runFlowEmbedded,
} from "./run-embedded";
import type { RunFlowResult } from "./run-flow";

export interface TemporalRunOptions extends EmbeddedRunOptions {
  temporalAddress: string;
  temporalNamespace: string;
}

type TemporalServer = Pick<TemporalRunOptions, "temporalAddress" | "temporalNamespace">;

const temporalMode = ({ temporalAddress, temporalNamespace }: TemporalServer) =>
  ({ kind: "temporal", temporal: { address: temporalAddress, namespace: temporalNamespace } }) as const;

/**
 * Runs a flow on the Temporal driver: the same set-up as `--engine embedded` (PostgreSQL read model, the
 * flows stored as revisions), with the server engine in Temporal mode: Temporal workers for the tenants'
 * task queues in this process, the execution a workflow on the Temporal server at `temporalAddress`.
 */
export function runFlowTemporal(options: TemporalRunOptions, io: CliIo): Promise<RunFlowResult> {
  const { temporalAddress, temporalNamespace, ...rest } = options;
  return runFlowEmbedded({ ...rest, mode: temporalMode({ temporalAddress, temporalNamespace }) }, io);
}

/** `runFlowTemporal`'s set-up kept open for many runs (openFlowRunner in Temporal mode). */
export function openTemporalFlowRunner(
  options: Omit<FlowRunnerOptions, "mode"> & TemporalServer,
  io: CliIo,
): Promise<FlowRunner> {
  const { temporalAddress, temporalNamespace, ...rest } = options;
  return openFlowRunner({ ...rest, mode: temporalMode({ temporalAddress, temporalNamespace }) }, io);
}
