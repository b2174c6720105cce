import { executionVariables } from "../executor/context";
import { expressionOptions } from "../executor/env";
import type { Execution, ExecutionTrigger } from "../executor/model";
import type { InputCipher } from "../executor/secret-inputs";
import { isTerminal } from "../executor/states";
import type { ExprFunction } from "../expr";
import { renderTreeAsync } from "../expr";
import type { Flow, Trigger } from "../flow/model";
import type { PluginRegistry } from "../plugin/registry";
import type { Label, TriggeringExecution } from "../plugin/types";
import { allConditionsHold } from "./conditions";
import { type DependsOn, recordDependsOn } from "./depends-on";
import { type PreconditionStore, type Preconditions, recordPreconditions } from "./preconditions";

/** An execution a Flow trigger asks for. */
export interface FlowTriggerMatch {
  flow: Flow;
  trigger: Trigger;
  inputs: Record<string, unknown>;
  labels: Label[];
  executionTrigger: ExecutionTrigger;
  /** Why the trigger's inputs did not render: the execution is created to end FAILED (Kestra 2.0). */
  inputsError?: string;
}

export interface FlowTriggerEnv {
  registry: PluginRegistry;
  now(): Date;
  /** Randomness for randomInt()/uuid() in conditions and inputs (the driver's: a replay sees the same numbers). */
  random(): number;
  functions?: Record<string, ExprFunction>;
  envs?: Record<string, string>;
  globals?: Record<string, unknown>;
  /** Opens the upstream execution's sealed SECRET inputs for conditions and inputs. */
  inputCipher?: InputCipher;
  /** State of preconditions between executions; without it, triggers with preconditions never fire. */
  preconditions?: PreconditionStore;
}

export function triggeringExecution(execution: Execution): TriggeringExecution {
  return {
    id: execution.id,
    namespace: execution.namespace,
    flowId: execution.flowId,
    flowRevision: execution.flowRevision,
    state: execution.state.current,
    labels: execution.labels,
    outputs: execution.outputs,
    retried: execution.taskRunList.some((r) => r.attempts.length > 1),
  };
}

/**
 * `trigger.outputs` of a dependsOn trigger: the last upstream's outputs as they are (`trigger.outputs.<key>`,
 * as in 1.x), and under `<flowId>` those of each upstream execution that met a dependency in the window
 * (`trigger.outputs.<flowId>.<key>`). An upstream output named like an upstream flow id keeps its value.
 */
function withScopedOutputs(
  last: Record<string, unknown>,
  scoped: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
  return { ...scoped, ...last };
}

/**
 * Which Flow triggers of `candidates` fire for an execution that reached a new state (Kestra evaluates them in
 * the executor when executions end). Inputs are rendered in the context of the upstream execution, with
 * `trigger.*` describing it.
 */
export async function matchFlowTriggers(
  upstreamFlow: Flow,
  upstream: Execution,
  candidates: Iterable<Flow>,
  env: FlowTriggerEnv,
): Promise<FlowTriggerMatch[]> {
  const matches: FlowTriggerMatch[] = [];
  const upstreamInfo = triggeringExecution(upstream);
  const triggerVariables = {
    executionId: upstream.id,
    namespace: upstream.namespace,
    flowId: upstream.flowId,
    flowRevision: upstream.flowRevision,
    state: upstream.state.current,
    outputs: upstream.outputs ?? {},
  };
  const variables = { ...executionVariables(upstreamFlow, upstream, env), trigger: triggerVariables };
  const render = (value: unknown) => renderTreeAsync(value, variables, expressionOptions(env));
  for (const flow of candidates) {
    if (flow.disabled || flow.deleted) continue;
    if (flow.namespace === upstream.namespace && flow.id === upstream.flowId) continue;
    for (const trigger of flow.triggers) {
      if (trigger.disabled || env.registry.get(trigger.type)?.type !== "core.trigger.Flow") continue;
      const states = trigger.states as string[] | undefined;
      if (states ? !states.includes(upstream.state.current) : !isTerminal(upstream.state.current)) continue;
      const scope = {
        registry: env.registry,
        flow: { namespace: flow.namespace, id: flow.id },
        execution: upstreamInfo,
        now: env.now(),
        random: () => env.random(),
        variables,
        functions: env.functions,
      };
      if (!(await allConditionsHold(trigger.conditions, scope, trigger.when))) continue;
      const key = `${flow.tenantId ?? ""}/${flow.namespace}/${flow.id}/${trigger.id}`;
      let fired = triggerVariables;
      if (trigger.dependsOn) {
        if (!env.preconditions) continue;
        const result = await recordDependsOn(
          key,
          trigger as unknown as DependsOn,
          upstreamInfo,
          env.now(),
          env.preconditions,
          render,
        );
        if (!result.fired) continue;
        fired = {
          ...triggerVariables,
          outputs: withScopedOutputs(triggerVariables.outputs, result.scopedOutputs),
        };
      }
      const preconditions = trigger.preconditions as Preconditions | undefined;
      if (preconditions) {
        if (!env.preconditions) continue;
        const met = await recordPreconditions(
          key,
          preconditions,
          upstreamInfo,
          env.now(),
          env.preconditions,
          (t) => render(t),
        );
        if (!met) continue;
      }
      let inputs: Record<string, unknown> = {};
      let inputsError: string | undefined;
      try {
        inputs = ((await renderTreeAsync(
          trigger.inputs ?? {},
          { ...variables, trigger: fired },
          expressionOptions(env),
        )) ?? {}) as Record<string, unknown>;
      } catch (error) {
        inputsError = `inputs: ${(error as Error).message}`;
      }
      const correlation = upstream.labels.find((l) => l.key === "system.correlationId")?.value ?? upstream.id;
      matches.push({
        flow,
        trigger,
        inputs,
        labels: [...(trigger.labels ?? []), { key: "system.correlationId", value: correlation }],
        executionTrigger: { id: trigger.id, type: trigger.type, variables: fired },
        ...(inputsError ? { inputsError } : {}),
      });
    }
  }
  return matches;
}
