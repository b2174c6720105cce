import { describe, expect, it } from "vitest";
import { listNamespaceFiles, namespaceFileUri, normalizeNamespacePath } from "@/plugins/core/namespace/files";
import { errorOf, newEngine, outputsOf, run, text } from "./helpers";

describe("namespace files", () => {
  it("lays files out under kestra:///{namespace as path}/_files/", () => {
    expect(namespaceFileUri("company.team", "/scripts/my main.py")).toBe(
      "kestra:///company/team/_files/scripts/my+main.py",
    );
    expect(normalizeNamespacePath("./a//b/")).toBe("a/b");
    expect(() => normalizeNamespacePath("a/../../b")).toThrow("may not contain '..'");
    expect(() => namespaceFileUri("bad/namespace", "x")).toThrow("not a valid namespace");
  });

  it("uploads from kestra:// URIs, downloads by glob into the execution, and deletes", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: ns_files
namespace: company.team
tasks:
  - id: make
    type: io.kestra.plugin.scripts.shell.Commands
    outputFiles: ["*.sql", "*.py"]
    commands:
      - echo "select 1" > a.sql
      - echo "select 2" > b.sql
      - echo "print(1)" > main.py
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: company
    destination: /queries
    filesMap:
      a.sql: "{{ outputs.make.outputFiles['a.sql'] }}"
      b.sql: "{{ outputs.make.outputFiles['b.sql'] }}"
      /scripts/main.py: "{{ outputs.make.outputFiles['main.py'] }}"
  - id: again
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: company
    conflict: SKIP
    filesMap: "{{ outputs.make.outputFiles | toJson }}"
  - id: conflict
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: company
    conflict: ERROR
    allowFailure: true
    filesMap:
      /scripts/main.py: "{{ outputs.make.outputFiles['main.py'] }}"
  - id: download
    type: io.kestra.plugin.core.namespace.DownloadFiles
    namespace: company
    files: "**.sql"
  - id: run_script
    type: io.kestra.plugin.scripts.python.Commands
    namespaceFiles:
      enabled: true
      namespaces: [company]
      include: ["scripts/**"]
    commands:
      - python scripts/main.py
  - id: delete
    type: io.kestra.plugin.core.namespace.DeleteFiles
    namespace: company
    files:
      - "queries/*.sql"
`,
    );
    expect(outputsOf(execution, "upload").files).toEqual({
      "/queries/a.sql": "kestra:///company/_files/queries/a.sql",
      "/queries/b.sql": "kestra:///company/_files/queries/b.sql",
      "/scripts/main.py": "kestra:///company/_files/scripts/main.py",
    });
    expect(Object.keys(outputsOf(execution, "again").files as object).sort()).toEqual([
      "/a.sql",
      "/b.sql",
      "/main.py",
    ]);
    expect(errorOf(execution, "conflict")).toBe(
      "namespace file /scripts/main.py already exists in company (conflict: ERROR)",
    );
    const downloaded = outputsOf(execution, "download").files as Record<string, string>;
    expect(Object.keys(downloaded).sort()).toEqual(["/a.sql", "/b.sql", "/queries/a.sql", "/queries/b.sql"]);
    expect(downloaded["/queries/a.sql"]).toMatch(
      new RegExp(
        `^kestra:///company/team/ns_files/executions/${execution.id}/tasks/download/[^/]+/queries/a.sql$`,
      ),
    );
    expect(await text(engine, downloaded["/queries/b.sql"])).toBe("select 2\n");
    expect(engine.logs.some((l) => l.taskId === "run_script" && l.message === "1")).toBe(true);
    expect(outputsOf(execution, "delete").files).toEqual(["/queries/a.sql", "/queries/b.sql"]);
    expect((await listNamespaceFiles(engine.storage, "company")).map((f) => f.path)).toEqual([
      "a.sql",
      "b.sql",
      "main.py",
      "scripts/main.py",
    ]);
  });

  it("uploads the files of a WorkingDirectory that match glob patterns", async () => {
    const { engine } = newEngine();
    const execution = await run(
      engine,
      `id: upload_glob
namespace: company.team
tasks:
  - id: wdir
    type: io.kestra.plugin.core.flow.WorkingDirectory
    tasks:
      - id: make
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - mkdir -p lib && echo "print(1)" > main.py && echo "x = 1" > lib/util.py && echo "no" > notes.txt
      - id: upload
        type: io.kestra.plugin.core.namespace.UploadFiles
        namespace: company
        destination: /code
        files: ["**.py"]
`,
    );
    expect(execution.state.current).toBe("SUCCESS");
    expect(Object.keys((outputsOf(execution, "upload").files ?? {}) as object).sort()).toEqual([
      "/code/lib/util.py",
      "/code/main.py",
    ]);
  });
});
