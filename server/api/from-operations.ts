// tRPC procedures made from operations (server/operations): the operation's schema is the procedure's
// input (beside `tenant`), its kind says query or mutation, and the adapter authorizes and runs it.
import type { TRPCMutationProcedure, TRPCQueryProcedure } from "@trpc/server";
import type { z } from "zod";
import { execute } from "../operations/adapter";
import type { AnyOperation, TenantOperation } from "../operations/operation";
import { createTRPCRouter, type ProcedureMeta, tenantProcedure } from "./trpc";

type ProcedureOf<Op> =
  Op extends TenantOperation<infer S, infer O, infer K>
    ? K extends "mutation"
      ? TRPCMutationProcedure<{
          input: { tenant: string } & z.input<S>;
          output: Awaited<O>;
          meta: ProcedureMeta;
        }>
      : TRPCQueryProcedure<{
          input: { tenant: string } & z.input<S>;
          output: Awaited<O>;
          meta: ProcedureMeta;
        }>
    : never;

export function procedureOf<Op extends AnyOperation>(operation: Op): ProcedureOf<Op> {
  const procedure = tenantProcedure
    .meta({ scope: "tenant", operation: operation.name })
    .input(operation.input);
  const resolver = ({ ctx, input }: { ctx: { scope: Parameters<typeof execute>[1] }; input: unknown }) =>
    execute(operation, ctx.scope, input);
  return (operation.kind === "mutation"
    ? procedure.mutation(resolver)
    : procedure.query(resolver)) as unknown as ProcedureOf<Op>;
}

/**
 * One procedure per operation of a group, named by its key — but those the REST API alone serves
 * (streams, downloads, Kestra's extra paths), named in `restOnly`.
 */
export function proceduresOf<T extends Record<string, AnyOperation>, X extends keyof T & string = never>(
  operations: T,
  restOnly: readonly X[] = [],
) {
  return Object.fromEntries(
    Object.entries(operations)
      .filter(([key]) => !(restOnly as readonly string[]).includes(key))
      .map(([key, operation]) => [key, procedureOf(operation)]),
  ) as { [K in Exclude<keyof T, X>]: ProcedureOf<T[K]> };
}

/** A router of a group's operations (see proceduresOf). */
export function routerOf<T extends Record<string, AnyOperation>, X extends keyof T & string = never>(
  operations: T,
  restOnly: readonly X[] = [],
) {
  return createTRPCRouter(proceduresOf(operations, restOnly));
}
