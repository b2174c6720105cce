"use client";
// Two revisions of a flow compared in Monaco's diff editor, side by side or inline.
import { DiffEditor } from "@monaco-editor/react";
import { useEffect, useState } from "react";
import { setupMonaco } from "./monaco-setup";

export default function RevisionsDiff({
  original,
  modified,
  sideBySide,
}: {
  original: string;
  modified: string;
  sideBySide: boolean;
}) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void setupMonaco().then(() => setReady(true));
  }, []);
  if (!ready) return <p className="p-4 text-sm text-zinc-500">Loading the comparison…</p>;
  return (
    <div className="h-[60vh] min-h-[360px]" data-testid="revisions-diff">
      <DiffEditor
        original={original}
        modified={modified}
        language="yaml"
        options={{
          readOnly: true,
          renderSideBySide: sideBySide,
          // The "Side by side" box decides, not the width of the panel.
          useInlineViewWhenSpaceIsLimited: false,
          minimap: { enabled: false },
          fontSize: 13,
          scrollBeyondLastLine: false,
          automaticLayout: true,
        }}
      />
    </div>
  );
}
