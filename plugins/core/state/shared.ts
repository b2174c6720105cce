import { z } from "zod";
import { dyn } from "@/engine/plugin";
import { notAvailableYet } from "../unavailable";

/** Kestra's pre-0.17 names of the state tasks: `io.kestra.core.tasks.states.<Name>`. */
export const oldState = (name: string): string => `io.kestra.core.tasks.states.${name}`;

/** Properties of every state task (AbstractState). */
export const stateShape = {
  name: z.string().default("default").describe("The name of the state."),
  namespace: dyn(z.boolean())
    .default(false)
    .describe("Share the state with every flow of the namespace instead of keeping it to this flow."),
  taskrunValue: dyn(z.boolean())
    .default(true)
    .describe(
      "Keep a state per `taskrun.value` (per iteration of a ForEach); false shares it across iterations.",
    ),
};

export const stateRun = (type: string) =>
  notAvailableYet(type, "the state store (JSON states kept in the internal storage)");
