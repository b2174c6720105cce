import { describe, expect, it } from "vitest";
import type { TaskRunContext, Workspace } from "@/engine/plugin";
import { type PythonProperties, pythonSetup } from "./language";

const ctx = (properties: PythonProperties) => {
  const warnings: string[] = [];
  return {
    warnings,
    ctx: {
      properties,
      logger: { warn: (m: string) => warnings.push(m) },
    } as unknown as TaskRunContext<PythonProperties>,
  };
};
const workspace = { workingDir: "/w/work" } as Workspace;

describe("Python dependencies", () => {
  it("installs them with pip into the working directory, quoted, without the kestra library the worker provides", async () => {
    const { ctx: c } = ctx({
      dependencies: ["kestra", "pandas>=2", "requests"],
      requirements: ["kestra==0.20"],
    });
    expect(await pythonSetup(c, workspace)).toEqual({
      commands: [
        "python3 -m pip install --quiet --disable-pip-version-check --no-input --target /w/work/.python-packages 'pandas>=2' requests",
      ],
      env: { PYTHONPATH: "/w/work/.python-packages" },
    });
  });

  it("does nothing without dependencies, and says that pythonVersion is not applied", async () => {
    const { ctx: c, warnings } = ctx({ dependencies: ["kestra"], pythonVersion: "3.12" });
    expect(await pythonSetup(c, workspace)).toEqual({ commands: [] });
    expect(warnings[0]).toContain("pythonVersion 3.12 is not applied");
  });
});
