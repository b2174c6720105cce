import {
  type Execution,
  ExecutionOperationError,
  InputValidationError,
  isTerminal,
  outputsOf,
  type StartSubflowCommand,
  type SubflowEndedEvent,
} from "@/engine/executor";
import { subflowDenied } from "../namespace-access";
import type { DriverPorts, ParentLink } from "./ports";

/**
 * Creates a Subflow's (or a ForEachItem batch's) child execution, or tells the parent why it could not be:
 * unknown flow or revision, a namespace boundary, invalid inputs. A command delivered twice creates one
 * child (its id was chosen by the executor). The check, the creation and the failure commit together.
 */
export function startSubflow(ports: DriverPorts, command: StartSubflowCommand): Promise<void> {
  return ports.atomically(async (p) => {
    if (await p.executions.get(command.executionId)) return;
    const fail = async (error: string) => {
      await p.executions.send(command.parentId, {
        type: "subflowEnded",
        taskRunId: command.taskRunId,
        iteration: command.iteration,
        executionId: command.executionId,
        state: "FAILED",
        error,
      });
    };
    const flow = await p.flows.get(command.namespace, command.flowId, command.revision);
    if (!flow) {
      const revision = command.revision !== undefined ? ` revision ${command.revision}` : "";
      return fail(`flow ${command.namespace}.${command.flowId}${revision} not found`);
    }
    const denied = await subflowDenied(p.access, command.trigger.variables.namespace, command.namespace);
    if (denied) return fail(denied);
    try {
      await p.executions.create(
        flow,
        {
          id: command.executionId,
          inputs: command.inputs,
          labels: command.labels,
          trigger: command.trigger,
          parentId: command.parentId,
          scheduleDate: command.scheduleDate,
          ...(command.loop ? { loop: command.loop } : {}),
        },
        {
          ...(command.wait
            ? {
                parentLink: {
                  executionId: command.parentId,
                  taskRunId: command.taskRunId,
                  iteration: command.iteration,
                },
              }
            : {}),
          ...(command.scheduleDate ? { startAt: new Date(command.scheduleDate) } : {}),
        },
      );
    } catch (error) {
      if (error instanceof InputValidationError) await fail(`invalid subflow inputs: ${error.message}`);
      else if (error instanceof ExecutionOperationError) await fail(error.message);
      else throw error;
    }
  });
}

/**
 * Restarts a failed child in place for its parent's restart (Subflow restartBehavior RETRY_FAILED). The
 * child keeps its parent link, so its next end reaches the same task run; a child that cannot restart
 * fails that task run.
 */
export async function restartSubflow(
  ports: DriverPorts,
  parentId: string,
  command: { taskRunId: string; executionId: string },
): Promise<void> {
  const refused = await ports.executions.send(command.executionId, { type: "restart" });
  if (refused === undefined) return;
  await ports.executions.send(parentId, {
    type: "subflowEnded",
    taskRunId: command.taskRunId,
    executionId: command.executionId,
    state: "FAILED",
    error: `could not restart subflow execution ${command.executionId}: ${refused}`,
  });
}

/** Kills a child execution (its parent was killed); one that has ended already is left as it is. */
export async function killExecution(ports: DriverPorts, executionId: string): Promise<void> {
  const child = await ports.executions.get(executionId);
  if (child && !isTerminal(child.state.current)) await ports.executions.send(executionId, { type: "kill" });
}

/** What a parent task run learns when its child ends. */
export function subflowEndedEvent(child: Execution, link: ParentLink): SubflowEndedEvent {
  return {
    type: "subflowEnded",
    taskRunId: link.taskRunId,
    iteration: link.iteration,
    executionId: child.id,
    state: child.state.current,
    outputs: child.outputs,
    taskOutputs: outputsOf(child),
  };
}
