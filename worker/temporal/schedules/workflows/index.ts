// The scheduled-run workflow bundle's entry: only what runs inside Temporal's deterministic sandbox.
export { cadenzaScheduledRun } from "./scheduled-run";
