import type { Connection } from "@temporalio/client";
import { describe, expect, it } from "vitest";
import { devServerSearchAttributes, registeredSearchAttributes } from "./search-attributes";

/**
 * A worker on a namespace without Cadenza's search attributes (an external cluster nobody set up) runs
 * without them and says which are missing and how to register them; the dev server gets all five.
 * (With them registered, history.test.ts finds executions by them on a real dev server.)
 */
const answering = (listSearchAttributes: () => Promise<unknown>) =>
  ({ operatorService: { listSearchAttributes } }) as unknown as Connection;

describe("registeredSearchAttributes", () => {
  it("keeps the registered ones of the right type and names the missing ones with their command", async () => {
    const lines: string[] = [];
    const found = await registeredSearchAttributes(
      answering(async () => ({
        customAttributes: { CadenzaTenant: 2, CadenzaState: 2, CadenzaLabels: 2, Other: 2 },
      })),
      "prod",
      (message) => lines.push(message),
    );
    expect(found).toEqual(["CadenzaTenant", "CadenzaState"]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("CadenzaNamespace, CadenzaFlowId, CadenzaLabels are not registered");
    expect(lines[0]).toContain(
      "temporal operator search-attribute create --namespace prod --name CadenzaLabels --type KeywordList",
    );
    expect(lines[0]).not.toContain("--name CadenzaTenant ");
  });

  it("runs without any when the server does not say (no operator permission), and says so", async () => {
    const lines: string[] = [];
    const found = await registeredSearchAttributes(
      answering(async () => {
        throw new Error("PermissionDenied");
      }),
      "prod",
      (message) => lines.push(message),
    );
    expect(found).toEqual([]);
    expect(lines[0]).toMatch(/could not be listed on namespace prod/);
  });

  it("says nothing when all are there", async () => {
    const lines: string[] = [];
    const found = await registeredSearchAttributes(
      answering(async () => ({
        customAttributes: {
          CadenzaTenant: 2,
          CadenzaNamespace: 2,
          CadenzaFlowId: 2,
          CadenzaState: 2,
          CadenzaLabels: 7,
        },
      })),
      "default",
      (message) => lines.push(message),
    );
    expect(found).toHaveLength(5);
    expect(lines).toEqual([]);
  });

  it("registers all five on the dev server", () => {
    expect(devServerSearchAttributes()).toEqual([
      "--search-attribute",
      "CadenzaTenant=Keyword",
      "--search-attribute",
      "CadenzaNamespace=Keyword",
      "--search-attribute",
      "CadenzaFlowId=Keyword",
      "--search-attribute",
      "CadenzaState=Keyword",
      "--search-attribute",
      "CadenzaLabels=KeywordList",
    ]);
  });
});
