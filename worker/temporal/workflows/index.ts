// The workflow bundle's entry: only what runs inside Temporal's deterministic sandbox.
import "./globals";

export { cadenzaExecution } from "./execution";
