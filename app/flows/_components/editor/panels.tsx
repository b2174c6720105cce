"use client";
// The editor's panels side by side (code, topology, docs, files): each can be hidden, the borders between
// them dragged, and the arrangement is remembered in this browser for the person (localStorage).
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";

export type PanelId = "code" | "topology" | "docs" | "files";
export const PANELS: { id: PanelId; label: string }[] = [
  { id: "code", label: "Code" },
  { id: "topology", label: "Topology" },
  { id: "docs", label: "Docs" },
  { id: "files", label: "Files" },
];

export interface PanelLayout {
  visible: Record<PanelId, boolean>;
  grow: Record<PanelId, number>;
}

const KEY = "cadenza.flowEditor.layout.v1";
const DEFAULT: PanelLayout = {
  visible: { code: true, topology: true, docs: false, files: false },
  grow: { code: 5, topology: 4, docs: 3, files: 3 },
};

export function usePanelLayout(): [PanelLayout, (update: (layout: PanelLayout) => PanelLayout) => void] {
  const [layout, setLayout] = useState<PanelLayout>(DEFAULT);
  useEffect(() => {
    try {
      const saved = JSON.parse(window.localStorage.getItem(KEY) ?? "null") as PanelLayout | null;
      if (saved?.visible && saved.grow)
        setLayout({
          visible: { ...DEFAULT.visible, ...saved.visible },
          grow: { ...DEFAULT.grow, ...saved.grow },
        });
    } catch {
      // a damaged entry: the default layout
    }
  }, []);
  const update = useCallback((change: (layout: PanelLayout) => PanelLayout) => {
    setLayout((current) => {
      const next = change(current);
      try {
        window.localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // storage full or disabled: the layout is simply not remembered
      }
      return next;
    });
  }, []);
  return [layout, update];
}

export function PanelToggles({
  layout,
  onChange,
  available,
}: {
  layout: PanelLayout;
  onChange: (update: (layout: PanelLayout) => PanelLayout) => void;
  available: PanelId[];
}) {
  return (
    <fieldset
      className="flex items-center rounded-md border border-zinc-300 text-xs dark:border-zinc-700"
      aria-label="Panels"
    >
      {PANELS.filter((p) => available.includes(p.id)).map((panel) => (
        <button
          key={panel.id}
          type="button"
          aria-pressed={layout.visible[panel.id]}
          onClick={() =>
            onChange((current) => {
              const visible = { ...current.visible, [panel.id]: !current.visible[panel.id] };
              if (!Object.values(visible).some(Boolean)) return current; // keep one panel
              return { ...current, visible };
            })
          }
          className={`px-2 py-1 first:rounded-l-md last:rounded-r-md ${
            layout.visible[panel.id]
              ? "bg-zinc-800 text-white dark:bg-zinc-200 dark:text-zinc-900"
              : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          }`}
        >
          {panel.label}
        </button>
      ))}
    </fieldset>
  );
}

export function PanelRow({
  layout,
  onChange,
  panels,
}: {
  layout: PanelLayout;
  onChange: (update: (layout: PanelLayout) => PanelLayout) => void;
  panels: Partial<Record<PanelId, ReactNode>>;
}) {
  const row = useRef<HTMLDivElement>(null);
  const shown = PANELS.map((p) => p.id).filter((id) => layout.visible[id] && panels[id] !== undefined);
  const startDrag = (left: PanelId, right: PanelId, event: React.PointerEvent) => {
    event.preventDefault();
    const width = row.current?.getBoundingClientRect().width ?? 1;
    const total = shown.reduce((sum, id) => sum + layout.grow[id], 0);
    const startX = event.clientX;
    const a = layout.grow[left];
    const b = layout.grow[right];
    const move = (e: PointerEvent) => {
      const delta = ((e.clientX - startX) / width) * total;
      const nextA = Math.max(0.5, Math.min(a + b - 0.5, a + delta));
      onChange((current) => ({
        ...current,
        grow: { ...current.grow, [left]: nextA, [right]: a + b - nextA },
      }));
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  };
  return (
    <div ref={row} className="flex min-h-0 flex-1">
      {shown.map((id, index) => (
        <div key={id} className="flex min-w-0" style={{ flexGrow: layout.grow[id], flexBasis: 0 }}>
          {index > 0 ? (
            // biome-ignore lint/a11y/useSemanticElements: a draggable border between panels, not a horizontal rule
            <div
              role="separator"
              aria-orientation="vertical"
              aria-label={`Resize ${shown[index - 1]} and ${id}`}
              onPointerDown={(event) => startDrag(shown[index - 1] as PanelId, id, event)}
              className="w-1.5 shrink-0 cursor-col-resize bg-zinc-200 hover:bg-brand-500 dark:bg-zinc-800"
            />
          ) : null}
          <section
            aria-label={PANELS.find((p) => p.id === id)?.label}
            className="min-w-0 flex-1 overflow-hidden bg-white dark:bg-zinc-900"
          >
            {panels[id]}
          </section>
        </div>
      ))}
    </div>
  );
}
