"use client";
// A namespace's files: a folder tree (each folder listed when opened), new file and folder, upload, rename,
// delete, and an editor for the selected file (Monaco, Ctrl/Cmd-S saves). Reads and writes go through the
// namespaceFiles tRPC procedures; uploads through REST's multipart endpoint (Kestra's `fileContent`).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { type FormEvent, useEffect, useState } from "react";
import { useTRPC } from "../../_trpc/react";
import { useFormatDate } from "../preferences";
import { Button, ErrorText, Input } from "../ui";
import type { CodeEditorProps } from "./code-editor";

/** Monaco in the browser only. */
export const CodeEditor = dynamic<CodeEditorProps>(() => import("./code-editor"), {
  ssr: false,
  loading: () => <p className="p-3 text-sm text-zinc-500">Loading the editor…</p>,
});

export interface NamespaceFilesPanelProps {
  tenant: string;
  namespace: string;
  /** Hide every control that writes (for people with NAMESPACE:READ only). */
  readOnly?: boolean;
}

const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf("/"))) || "/";
const join = (dir: string, name: string) => `${dir === "/" ? "" : dir}/${name.replace(/^\/+/, "")}`;

export function NamespaceFilesPanel({ tenant, namespace, readOnly }: NamespaceFilesPanelProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<{ path: string; type: "File" | "Directory" }>({
    path: "/",
    type: "Directory",
  });
  const [creating, setCreating] = useState<"File" | "Directory" | null>(null);
  const [error, setError] = useState<string | undefined>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.namespaceFiles.list.pathKey() });
  const folder = selected.type === "Directory" ? selected.path : parentOf(selected.path);

  const write = useMutation(trpc.namespaceFiles.write.mutationOptions());
  const mkdir = useMutation(trpc.namespaceFiles.mkdir.mutationOptions());

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "").trim();
    if (!name || !creating) return;
    const path = join(folder, name);
    setError(undefined);
    try {
      if (creating === "File") await write.mutateAsync({ tenant, namespace, path, content: "" });
      else await mkdir.mutateAsync({ tenant, namespace, path });
      setCreating(null);
      await refresh();
      setSelected({ path, type: creating });
    } catch (e) {
      setError((e as Error).message);
    }
  }

  async function upload(files: FileList | null) {
    if (!files) return;
    setError(undefined);
    for (const file of Array.from(files)) {
      const form = new FormData();
      form.set("fileContent", file, file.name);
      const path = join(folder, file.name);
      const response = await fetch(
        `/api/v1/${encodeURIComponent(tenant)}/namespaces/${encodeURIComponent(namespace)}/files?path=${encodeURIComponent(path)}`,
        { method: "POST", body: form },
      );
      if (!response.ok) {
        setError(
          `${file.name}: ${((await response.json().catch(() => ({}))) as { message?: string }).message ?? response.statusText}`,
        );
        break;
      }
    }
    await refresh();
  }

  return (
    <section
      className="flex h-[32rem] overflow-hidden rounded-xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
      aria-label={`Files of ${namespace}`}
    >
      <div className="flex w-72 shrink-0 flex-col border-r border-zinc-200 dark:border-zinc-800">
        <div className="flex flex-wrap items-center gap-1 border-b border-zinc-200 p-2 dark:border-zinc-800">
          {readOnly ? (
            <span className="px-1 py-1 text-xs text-zinc-500">Read only</span>
          ) : (
            <>
              <Button variant="plain" className="!px-2 !py-1 text-xs" onClick={() => setCreating("File")}>
                New file
              </Button>
              <Button
                variant="plain"
                className="!px-2 !py-1 text-xs"
                onClick={() => setCreating("Directory")}
              >
                New folder
              </Button>
              <label className="cursor-pointer rounded-md border border-zinc-300 px-2 py-1 text-xs font-medium text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-200 dark:hover:bg-zinc-800">
                Upload
                <input
                  type="file"
                  multiple
                  className="sr-only"
                  aria-label="Upload files"
                  onChange={(e) => {
                    void upload(e.target.files);
                    e.target.value = "";
                  }}
                />
              </label>
            </>
          )}
        </div>
        {creating ? (
          <form onSubmit={create} className="flex gap-1 border-b border-zinc-200 p-2 dark:border-zinc-800">
            <Input
              name="name"
              autoFocus
              aria-label={creating === "File" ? "New file name" : "New folder name"}
              placeholder={creating === "File" ? "main.py" : "scripts"}
              className="min-w-0 flex-1 !py-1 text-xs"
              onKeyDown={(e) => e.key === "Escape" && setCreating(null)}
            />
            <Button type="submit" className="!px-2 !py-1 text-xs">
              Create
            </Button>
          </form>
        ) : null}
        <nav className="min-h-0 flex-1 overflow-auto py-1 text-sm" aria-label="Namespace files">
          <button
            type="button"
            onClick={() => setSelected({ path: "/", type: "Directory" })}
            className={`w-full px-3 py-1 text-left text-xs text-zinc-500 ${selected.path === "/" ? "bg-brand-50 dark:bg-zinc-800" : ""}`}
          >
            / (root)
          </button>
          <Folder
            tenant={tenant}
            namespace={namespace}
            path="/"
            depth={0}
            selected={selected.path}
            onSelect={setSelected}
          />
        </nav>
        <div className="px-2 pb-2">
          <ErrorText>{error}</ErrorText>
        </div>
      </div>
      <div className="flex min-w-0 flex-1 flex-col">
        {selected.type === "File" ? (
          <FileEditor
            key={selected.path}
            tenant={tenant}
            namespace={namespace}
            path={selected.path}
            readOnly={readOnly}
            onMoved={(to) => {
              void refresh();
              setSelected({ path: to, type: "File" });
            }}
            onDeleted={() => {
              void refresh();
              setSelected({ path: parentOf(selected.path), type: "Directory" });
            }}
          />
        ) : (
          <FolderActions
            tenant={tenant}
            namespace={namespace}
            path={selected.path}
            readOnly={readOnly}
            onChanged={(to) => {
              void refresh();
              setSelected({ path: to ?? "/", type: "Directory" });
            }}
          />
        )}
      </div>
    </section>
  );
}

function Folder({
  tenant,
  namespace,
  path,
  depth,
  selected,
  onSelect,
}: {
  tenant: string;
  namespace: string;
  path: string;
  depth: number;
  selected: string;
  onSelect(item: { path: string; type: "File" | "Directory" }): void;
}) {
  const trpc = useTRPC();
  const formatDate = useFormatDate();
  const list = useQuery(trpc.namespaceFiles.list.queryOptions({ tenant, namespace, path }));
  const [open, setOpen] = useState<Record<string, boolean>>({});
  if (list.error)
    return depth === 0 && list.error.data?.code === "NOT_FOUND" ? null : (
      <p className="px-3 text-xs text-red-600">{list.error.message}</p>
    );
  if (!list.data) return <p className="px-3 text-xs text-zinc-400">…</p>;
  if (depth === 0 && list.data.length === 0)
    return <p className="px-3 py-2 text-xs text-zinc-500">No files yet.</p>;
  return (
    <ul>
      {list.data.map((item) => {
        const isOpen = open[item.path] ?? selected.startsWith(`${item.path}/`);
        return (
          <li key={item.path}>
            <button
              type="button"
              aria-current={selected === item.path ? "true" : undefined}
              aria-expanded={item.type === "Directory" ? isOpen : undefined}
              onClick={() => {
                if (item.type === "Directory") setOpen({ ...open, [item.path]: !isOpen });
                onSelect({ path: item.path, type: item.type });
              }}
              style={{ paddingLeft: `${0.75 + depth * 0.9}rem` }}
              className={`flex w-full items-center gap-1.5 py-1 pr-2 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800 ${selected === item.path ? "bg-brand-50 font-medium dark:bg-zinc-800" : ""}`}
            >
              <span aria-hidden className="w-3 text-xs text-zinc-400">
                {item.type === "Directory" ? (isOpen ? "▾" : "▸") : ""}
              </span>
              <Icon folder={item.type === "Directory"} />
              <span
                className="truncate"
                title={
                  item.lastModifiedTime
                    ? `${item.path}, saved ${formatDate(item.lastModifiedTime)}`
                    : item.path
                }
              >
                {item.fileName}
              </span>
              {item.type === "File" ? (
                <span className="ml-auto shrink-0 text-xs text-zinc-400">{formatSize(item.size)}</span>
              ) : null}
            </button>
            {item.type === "Directory" && isOpen ? (
              <Folder
                tenant={tenant}
                namespace={namespace}
                path={item.path}
                depth={depth + 1}
                selected={selected}
                onSelect={onSelect}
              />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** A folder or file outline (no emoji: a machine without an emoji font would show boxes). */
function Icon({ folder }: { folder: boolean }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 16 16"
      className={`size-4 shrink-0 ${folder ? "text-amber-500" : "text-zinc-400"}`}
      fill="none"
      stroke="currentColor"
      strokeWidth="1.3"
    >
      {folder ? (
        <path d="M1.5 4.5v8a1 1 0 0 0 1 1h11a1 1 0 0 0 1-1v-6a1 1 0 0 0-1-1H8L6.5 3.5h-4a1 1 0 0 0-1 1Z" />
      ) : (
        <path d="M4 1.5h5l3.5 3.5v9a.5.5 0 0 1-.5.5H4a.5.5 0 0 1-.5-.5V2a.5.5 0 0 1 .5-.5ZM9 1.5V5h3.5" />
      )}
    </svg>
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function RenameForm({
  path,
  onRename,
  onCancel,
}: {
  path: string;
  onRename(to: string): void;
  onCancel(): void;
}) {
  return (
    <form
      className="flex flex-1 gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        const to = String(new FormData(e.currentTarget).get("to") ?? "").trim();
        if (to) onRename(to.startsWith("/") ? to : `/${to}`);
      }}
    >
      <Input
        name="to"
        defaultValue={path}
        autoFocus
        aria-label="New path"
        className="min-w-0 flex-1 !py-1 text-xs"
        onKeyDown={(e) => e.key === "Escape" && onCancel()}
      />
      <Button type="submit" className="!px-2 !py-1 text-xs">
        Rename
      </Button>
      <Button variant="plain" className="!px-2 !py-1 text-xs" onClick={onCancel}>
        Cancel
      </Button>
    </form>
  );
}

function FolderActions({
  tenant,
  namespace,
  path,
  readOnly,
  onChanged,
}: {
  tenant: string;
  namespace: string;
  path: string;
  readOnly?: boolean;
  onChanged(to?: string): void;
}) {
  const trpc = useTRPC();
  const [renaming, setRenaming] = useState(false);
  const move = useMutation(trpc.namespaceFiles.move.mutationOptions());
  const remove = useMutation(trpc.namespaceFiles.delete.mutationOptions());
  return (
    <div className="flex flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-zinc-200 p-2 text-sm dark:border-zinc-800">
        {renaming && path !== "/" ? (
          <RenameForm
            path={path}
            onCancel={() => setRenaming(false)}
            onRename={(to) =>
              move.mutate({ tenant, namespace, from: path, to }, { onSuccess: () => onChanged(to) })
            }
          />
        ) : (
          <>
            <span className="mr-auto font-mono text-xs">{path}</span>
            {!readOnly && path !== "/" ? (
              <>
                <Button variant="plain" className="!px-2 !py-1 text-xs" onClick={() => setRenaming(true)}>
                  Rename
                </Button>
                <Button
                  variant="danger"
                  className="!px-2 !py-1 text-xs"
                  onClick={() => {
                    if (window.confirm(`Delete the folder ${path} and everything in it?`))
                      remove.mutate(
                        { tenant, namespace, path },
                        { onSuccess: () => onChanged(parentOf(path)) },
                      );
                  }}
                >
                  Delete
                </Button>
              </>
            ) : null}
          </>
        )}
      </div>
      <div className="p-4 text-sm text-zinc-500">
        <ErrorText>{move.error?.message ?? remove.error?.message}</ErrorText>
        Select a file to edit it. Scripts of flows in <span className="font-mono">{namespace}</span> see these
        files when their task sets <span className="font-mono">namespaceFiles.enabled: true</span>.
      </div>
    </div>
  );
}

function FileEditor({
  tenant,
  namespace,
  path,
  readOnly,
  onMoved,
  onDeleted,
}: {
  tenant: string;
  namespace: string;
  path: string;
  readOnly?: boolean;
  onMoved(to: string): void;
  onDeleted(): void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Read once per opening (gcTime 0): reopening the file reads what was saved, never a cached copy.
  const file = useQuery({
    ...trpc.namespaceFiles.read.queryOptions({ tenant, namespace, path }),
    staleTime: Infinity,
    gcTime: 0,
  });
  const [text, setText] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const [renaming, setRenaming] = useState(false);
  const write = useMutation(trpc.namespaceFiles.write.mutationOptions());
  const move = useMutation(trpc.namespaceFiles.move.mutationOptions());
  const remove = useMutation(trpc.namespaceFiles.delete.mutationOptions());
  useEffect(() => {
    if (file.data && !file.data.binary && saved === undefined) {
      setText(file.data.content ?? "");
      setSaved(file.data.content ?? "");
    }
  }, [file.data, saved]);
  const dirty = text !== undefined && text !== saved;
  const save = () => {
    if (readOnly || text === undefined || write.isPending) return;
    const content = text;
    write.mutate(
      { tenant, namespace, path, content },
      {
        onSuccess: () => {
          setSaved(content);
          void queryClient.invalidateQueries({ queryKey: trpc.namespaceFiles.list.pathKey() });
        },
      },
    );
  };
  const name = path.split("/").pop() ?? path;
  const download = `/api/v1/${encodeURIComponent(tenant)}/namespaces/${encodeURIComponent(namespace)}/files?path=${encodeURIComponent(path)}`;
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex items-center gap-2 border-b border-zinc-200 p-2 text-sm dark:border-zinc-800">
        {renaming ? (
          <RenameForm
            path={path}
            onCancel={() => setRenaming(false)}
            onRename={(to) =>
              move.mutate({ tenant, namespace, from: path, to }, { onSuccess: () => onMoved(to) })
            }
          />
        ) : (
          <>
            <span className="mr-auto truncate font-mono text-xs">
              {path}
              {dirty ? (
                <span className="ml-1 text-amber-600" title="Unsaved changes">
                  ●
                </span>
              ) : null}
              {!dirty && write.isSuccess ? <span className="ml-2 text-green-700">saved</span> : null}
            </span>
            <a href={download} download={name} className="text-xs text-brand-600 hover:underline">
              Download
            </a>
            {readOnly ? null : (
              <>
                <Button className="!px-2 !py-1 text-xs" onClick={save} disabled={!dirty || write.isPending}>
                  {write.isPending ? "Saving…" : "Save"}
                </Button>
                <Button variant="plain" className="!px-2 !py-1 text-xs" onClick={() => setRenaming(true)}>
                  Rename
                </Button>
                <Button
                  variant="danger"
                  className="!px-2 !py-1 text-xs"
                  onClick={() => {
                    if (window.confirm(`Delete ${path}?`))
                      remove.mutate({ tenant, namespace, path }, { onSuccess: onDeleted });
                  }}
                >
                  Delete
                </Button>
              </>
            )}
          </>
        )}
      </div>
      <ErrorText>
        {file.error?.message ?? write.error?.message ?? move.error?.message ?? remove.error?.message}
      </ErrorText>
      <div className="min-h-0 flex-1">
        {file.data?.binary ? (
          <p className="p-4 text-sm text-zinc-500">
            This file is not text (or is larger than 2 MB): download it instead.
          </p>
        ) : text !== undefined ? (
          <CodeEditor
            path={path}
            defaultValue={saved ?? ""}
            onChange={setText}
            onSave={save}
            readOnly={readOnly}
          />
        ) : (
          <p className="p-3 text-sm text-zinc-500">Loading…</p>
        )}
      </div>
    </div>
  );
}
