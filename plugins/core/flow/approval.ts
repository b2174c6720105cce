import { approvalHandler, approvalSchema } from "@/engine/executor";
import { definePlugin } from "@/engine/plugin";

export const approvalPlugin = definePlugin({
  type: "core.flow.Approval",
  kind: "flowable",
  title: "Pause the flow until a reviewer approves or denies it.",
  description:
    "Runs `onWait`, then pauses the execution until a reviewer decides from the execution page or " +
    "`POST /api/v1/{tenant}/executions/{id}/actions/review` (`decision` APPROVED or DENIED, `comment`, `inputs`). " +
    "`onApprove` or `onDeny` then runs; `approveBehavior` / `denyBehavior` (CANCEL by default) decide what " +
    "happens to the execution after it. A `timeout` counted from the pause expires the request (`expireBehavior`, " +
    "CANCEL by default). Outputs: `decision` (APPROVED, DENIED, EXPIRED), `auto`, `by`, `on`, `comment`, " +
    "`inputs`, `due`.",
  schema: approvalSchema,
  handler: approvalHandler,
  examples: [
    {
      title: "Ask a reviewer before deploying",
      flow: `id: approval
namespace: company.team
tasks:
  - id: approval
    type: io.kestra.plugin.core.flow.Approval
    commentRequired: ON_DENY
    timeout: P1D
    onWait:
      - id: notify
        type: io.kestra.plugin.core.log.Log
        message: "Review execution {{ execution.id }}"
    onApprove:
      - id: approved
        type: io.kestra.plugin.core.log.Log
        message: "Approved by {{ outputs.approval.by }}"
    onDeny:
      - id: denied
        type: io.kestra.plugin.core.log.Log
        message: "Denied: {{ outputs.approval.comment }}"
  - id: deploy
    type: io.kestra.plugin.core.log.Log
    message: deploying
`,
    },
  ],
});
