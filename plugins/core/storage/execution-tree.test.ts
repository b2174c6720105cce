import { describe, expect, it } from "vitest";
import { executionOfFile, inNamespaceTree } from "./execution-tree";

describe("executionOfFile", () => {
  it("reads the namespace, flow and execution of an execution's file", () => {
    expect(executionOfFile("kestra:///company/team/etl/executions/abc/tasks/t/r/out.txt")).toEqual({
      namespace: "company.team",
      flowId: "etl",
      executionId: "abc",
    });
    expect(executionOfFile("kestra:///ns/flow/executions/x/inputs/file/data.csv")).toEqual({
      namespace: "ns",
      flowId: "flow",
      executionId: "x",
    });
  });

  it("leaves out files of no execution: namespace files, reserved folders, the tenant root", () => {
    expect(executionOfFile("kestra:///company/_files/flow/executions/x/a.txt")).toBeUndefined();
    expect(executionOfFile("kestra:///company/team/_cache/wd/a.zip")).toBeUndefined();
    expect(executionOfFile("kestra:///flow/executions/x/a.txt")).toBeUndefined();
    expect(executionOfFile("kestra:///ns/flow/executions/x")).toBeUndefined();
    expect(executionOfFile("https://example.com/ns/flow/executions/x/a")).toBeUndefined();
  });

  it("never takes a segment named executions for a flow, as Kestra's walk does", () => {
    expect(executionOfFile("kestra:///ns/executions/executions/x/a.txt")).toBeUndefined();
    // A sub-namespace named `executions` holding a real flow is still found.
    expect(executionOfFile("kestra:///ns/executions/flow/executions/x/a.txt")).toEqual({
      namespace: "ns.executions",
      flowId: "flow",
      executionId: "x",
    });
  });

  it("matches a namespace tree by whole segments", () => {
    expect(inNamespaceTree("company.team", "company")).toBe(true);
    expect(inNamespaceTree("company", "company")).toBe(true);
    expect(inNamespaceTree("companyx", "company")).toBe(false);
  });
});
