// A still drawing of a laid-out topology (SVG: cards, clusters, dots and straight edges), for the moment
// before React Flow has drawn it: the execution page lays its graph out on the server (layout.ts) and
// sends the boxes, so the Topology tab's first screen is in the HTML instead of after hydration, React
// Flow's measuring and a layout worker's start. Never larger than React Flow draws it (zoom 1 at most).
import type { Box } from "./layout";
import type { DrawModel } from "./topology-model";

/** Stroke and fill per state, as the React Flow nodes colour them (topology.tsx STATE_LOOK). */
const STATE_COLOURS: Record<string, [string, string]> = {
  SUCCESS: ["#22c55e", "#f0fdf4"],
  WARNING: ["#f59e0b", "#fffbeb"],
  FAILED: ["#ef4444", "#fef2f2"],
  RUNNING: ["#3b82f6", "#eff6ff"],
  RETRYING: ["#f97316", "#fff7ed"],
  PAUSED: ["#a855f7", "#faf5ff"],
  KILLED: ["#71717a", "#f4f4f5"],
  CANCELLED: ["#9ca3af", "#f4f4f5"],
  CREATED: ["#38bdf8", "#f0f9ff"],
  SKIPPED: ["#a1a1aa", "#fafafa"],
};
const MARGIN = 16;

export function TopologyPreview({
  model,
  boxes,
  states,
}: {
  model: DrawModel;
  boxes: Record<string, Box>;
  states?: ReadonlyMap<string, string>;
}) {
  const drawn = model.nodes.flatMap((node) => {
    const box = boxes[node.id];
    return box ? [{ node, box }] : [];
  });
  if (drawn.length === 0) return null;
  const x = Math.min(...drawn.map((d) => d.box.x)) - MARGIN;
  const y = Math.min(...drawn.map((d) => d.box.y)) - MARGIN;
  const width = Math.max(...drawn.map((d) => d.box.x + d.box.width)) + MARGIN - x;
  const height = Math.max(...drawn.map((d) => d.box.y + d.box.height)) + MARGIN - y;
  const horizontal = model.request.direction === "LR";
  const centre = (b: Box) => ({ cx: b.x + b.width / 2, cy: b.y + b.height / 2 });
  return (
    <div className="pointer-events-none absolute inset-0 flex items-center justify-center" aria-hidden>
      <svg
        viewBox={`${x} ${y} ${width} ${height}`}
        width={width}
        height={height}
        className="max-h-full max-w-full"
        role="presentation"
      >
        {model.edges.map((edge) => {
          const from = boxes[edge.source];
          const to = boxes[edge.target];
          if (!from || !to) return null;
          const a = centre(from);
          const b = centre(to);
          const [x1, y1, x2, y2] = horizontal
            ? [from.x + from.width, a.cy, to.x, b.cy]
            : [a.cx, from.y + from.height, b.cx, to.y];
          return <line key={edge.id} x1={x1} y1={y1} x2={x2} y2={y2} stroke="#a1a1aa" strokeWidth={1.4} />;
        })}
        {drawn.map(({ node, box }) => {
          if (node.kind === "cluster")
            return (
              <g key={node.id} data-task-id={node.taskId}>
                <rect
                  x={box.x}
                  y={box.y}
                  width={box.width}
                  height={box.height}
                  rx={8}
                  fill="#f4f4f5"
                  fillOpacity={0.4}
                  stroke="#d4d4d8"
                />
                <text x={box.x + 8} y={box.y + 16} fontSize={11} fontWeight={600} fill="#52525b">
                  {node.taskId}
                </text>
              </g>
            );
          if (!["task", "trigger", "collapsed", "ghost"].includes(node.kind))
            return (
              <circle
                key={node.id}
                cx={box.x + box.width / 2}
                cy={box.y + box.height / 2}
                r={box.width / 2 - 1}
                fill={node.kind.endsWith("end") ? "#71717a" : "#ffffff"}
                stroke="#71717a"
                strokeWidth={2}
              />
            );
          const state = node.taskId ? states?.get(node.taskId) : undefined;
          const [stroke, fill] = (state && STATE_COLOURS[state]) || ["#d4d4d8", "#ffffff"];
          return (
            <g key={node.id} data-task-id={node.taskId} data-state={state}>
              <rect
                x={box.x}
                y={box.y}
                width={box.width}
                height={box.height}
                rx={6}
                fill={fill}
                stroke={stroke}
              />
              <text x={box.x + 10} y={box.y + 20} fontSize={12} fontWeight={600} fill="#27272a">
                {node.taskId}
              </text>
              <text x={box.x + 10} y={box.y + 35} fontSize={10} fill="#71717a">
                {node.type?.split(".").at(-1) ?? ""}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
