// Generated flows for the editor bench (bench/ui-editor.ts).

/** A flow of `count` tasks: Log tasks, with a Parallel of three every tenth (clusters, like real flows). */
export function generatedFlow(id: string, count: number): string {
  const lines = [`id: ${id}`, "namespace: bench.ui", "tasks:"];
  let made = 0;
  for (let i = 0; made < count; i++) {
    if (i % 10 === 9 && made + 4 <= count) {
      lines.push(`  - id: par${i}`, "    type: io.kestra.plugin.core.flow.Parallel", "    tasks:");
      for (let j = 0; j < 3; j++)
        lines.push(
          `      - id: p${i}_${j}`,
          "        type: io.kestra.plugin.core.log.Log",
          `        message: "{{ flow.id }} ${j}"`,
        );
      made += 4;
    } else {
      lines.push(`  - id: t${i}`, "    type: io.kestra.plugin.core.log.Log", `    message: step ${i}`);
      made += 1;
    }
  }
  return `${lines.join("\n")}\n`;
}
