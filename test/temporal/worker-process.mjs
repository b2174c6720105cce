// Entry of test/temporal/worker-process.ts: TypeScript through tsx's loader, as bin/cadenza.mjs does.
import { register } from "tsx/esm/api";

register();
await import("./worker-process.ts");
