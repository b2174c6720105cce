import { type Execution, ExecutionOperationError, InputValidationError, isTerminal } from "@/engine/executor";
import type { Flow } from "@/engine/flow";
import { matchFlowTriggers } from "@/engine/triggers";
import { flowsReaching } from "../namespace-access";
import type { DriverPorts } from "./ports";
import { subflowEndedEvent } from "./subflows";

/**
 * What happens once an execution has ended (after its afterExecution tasks: the executor emits
 * `executionEnded` only then), in Kestra's order:
 * 1. the task runner frees what it kept for the execution (shared working directories);
 * 2. a parent waiting for it (Subflow, ForEachItem batch) gets its result;
 * 3. the oldest execution of the flow queued by its `concurrency` limit starts;
 * 4. the trigger that started it is disabled when the end state is in its `stopAfter`;
 * 5. Flow triggers of other flows that match it start their executions (once each, however often this
 *    runs: an execution restarted and ended again triggers again, with its new attempt number).
 * Does nothing for an execution that is gone or no longer ended (restarted meanwhile). A Loop iteration
 * (kind LOOP) does 1 and 2 only.
 */
export async function executionEnded(ports: DriverPorts, executionId: string): Promise<void> {
  const execution = await ports.executions.get(executionId);
  if (!execution || !isTerminal(execution.state.current)) return;
  await ports
    .releaseExecution?.(execution.id)
    .catch((error) => ports.report("could not release the execution's working directories", error));
  const parent = await ports.executions.parentOf(execution);
  if (parent) await ports.executions.send(parent.executionId, subflowEndedEvent(execution, parent));
  // A Loop iteration (kind LOOP) is part of its parent's run: no concurrency slot, trigger or Flow trigger.
  if (execution.kind === "LOOP") return;
  const flow = await ports.flows.get(execution.namespace, execution.flowId, execution.flowRevision);
  if (!flow) return;
  if (flow.concurrency) {
    const next = await ports.executions.queuedToStart(flow.namespace, flow.id, flow.concurrency.limit);
    for (const id of next) {
      const refused = await ports.executions.send(id, { type: "start" });
      // A slot that cannot be used must not be held for ever: with limit 1, nothing else would run.
      if (refused) await ports.executions.requeue?.(id);
    }
  }
  await applyStopAfter(ports, flow, execution);
  await fireFlowTriggers(ports, flow, execution);
}

async function applyStopAfter(ports: DriverPorts, flow: Flow, execution: Execution): Promise<void> {
  const triggerId = execution.trigger?.id;
  if (!triggerId) return;
  const stopAfter = flow.triggers.find((t) => t.id === triggerId)?.stopAfter;
  if (stopAfter?.includes(execution.state.current))
    await ports.flows.disableTrigger(flow.namespace, flow.id, triggerId);
}

/** Matching and starting commit together, so a precondition window is never consumed without its execution. */
async function fireFlowTriggers(ports: DriverPorts, flow: Flow, execution: Execution): Promise<void> {
  const candidates = await ports.flows.withFlowTriggers();
  if (candidates.length === 0) return;
  await ports.atomically(async (p) => {
    const reaching = await flowsReaching(p.access, candidates, execution.namespace);
    const matches = await matchFlowTriggers(flow, execution, reaching, {
      ...p.render,
      now: () => p.now(),
      random: () => p.random(),
      preconditions: p.preconditions,
    });
    for (const match of matches) {
      try {
        await p.executions.create(
          match.flow,
          {
            inputs: match.inputs,
            labels: match.labels,
            trigger: match.executionTrigger,
            // Kestra 2.0: inputs that do not render or validate give an execution that ends FAILED.
            failOnInvalidInputs: true,
            ...(match.inputsError ? { invalidInputs: [match.inputsError] } : {}),
          },
          {
            dedupeKey: `flow-trigger:${execution.id}:${execution.metadata.attemptNumber}:${match.flow.namespace}/${match.flow.id}/${match.trigger.id}`,
          },
        );
      } catch (error) {
        if (!(error instanceof InputValidationError || error instanceof ExecutionOperationError)) throw error;
        await p.log(
          execution,
          "WARN",
          `Flow trigger ${match.flow.namespace}.${match.flow.id}/${match.trigger.id} could not start an execution: ${error.message}`,
        );
      }
    }
  });
}
