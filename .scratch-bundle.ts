import { workflowBundle } from "@/worker/temporal/worker";
const t = Date.now();
const b = await workflowBundle();
console.log("bundle ok", b.code.length, Date.now() - t, "ms");
