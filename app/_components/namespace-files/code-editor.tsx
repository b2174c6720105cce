"use client";
// A Monaco editor for one file: language from the file name, Ctrl/Cmd-S saves. Load it through
// `CodeEditor` (index.ts), which is next/dynamic with ssr: false: Monaco needs a browser.
import Editor, { type OnMount } from "@monaco-editor/react";
import { useEffect, useRef } from "react";
import { monaco } from "./monaco-setup";

const LANGUAGES: Record<string, string> = {
  py: "python",
  sh: "shell",
  bash: "shell",
  js: "javascript",
  mjs: "javascript",
  ts: "typescript",
  sql: "sql",
  yml: "yaml",
  yaml: "yaml",
  json: "json",
  md: "markdown",
  r: "r",
  rb: "ruby",
  go: "go",
  java: "java",
  ps1: "powershell",
  css: "css",
  html: "html",
  xml: "xml",
  dockerfile: "dockerfile",
};

/** Monaco's language id for a file name (plain text when unknown). */
export function languageOf(fileName: string): string {
  const lower = fileName.toLowerCase();
  if (lower === "dockerfile") return "dockerfile";
  return LANGUAGES[lower.split(".").pop() ?? ""] ?? "plaintext";
}

export interface CodeEditorProps {
  /** Names the editor's model (one per path) and picks the language from its extension. */
  path: string;
  /** The text the editor starts with; afterwards the editor owns it (a controlled value drops keystrokes). */
  defaultValue: string;
  onChange(value: string): void;
  onSave?(): void;
  readOnly?: boolean;
  height?: string;
}

export default function CodeEditorImpl({
  path,
  defaultValue,
  onChange,
  onSave,
  readOnly,
  height,
}: CodeEditorProps) {
  const fileName = path.split("/").pop() ?? path;
  const save = useRef(onSave);
  useEffect(() => {
    save.current = onSave;
  }, [onSave]);
  const mount: OnMount = (editor) => {
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => save.current?.());
  };
  const dark = typeof window !== "undefined" && window.matchMedia?.("(prefers-color-scheme: dark)").matches;
  return (
    <Editor
      height={height ?? "100%"}
      path={path}
      language={languageOf(fileName)}
      defaultValue={defaultValue}
      theme={dark ? "vs-dark" : "light"}
      onChange={(next) => onChange(next ?? "")}
      onMount={mount}
      loading={<p className="p-3 text-sm text-zinc-500">Loading the editor…</p>}
      options={{
        readOnly,
        minimap: { enabled: false },
        fontSize: 13,
        scrollBeyondLastLine: false,
        automaticLayout: true,
        tabSize: 2,
      }}
    />
  );
}
