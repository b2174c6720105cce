"use client";
// A `kestra://` file of the execution: "Preview" fetches `/executions/{id}/file/preview` (text, CSV as a
// table, JSON pretty-printed, images) and "Download" links to `/executions/{id}/file`.
import { useState } from "react";
import { ErrorText } from "../ui";

interface Preview {
  name: string;
  extension: string;
  type: "TEXT" | "IMAGE" | "BINARY";
  content?: string;
  size: number;
  truncated: boolean;
}

/** RFC 4180-ish: quoted fields with doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string, maxRows = 200): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length && rows.length < maxRows; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if ((field || row.length) && rows.length < maxRows) rows.push([...row, field]);
  return rows;
}

function Body({ preview }: { preview: Preview }) {
  if (preview.type === "IMAGE" && preview.content)
    // biome-ignore lint/performance/noImgElement: a data URL preview, not a page asset
    return <img src={preview.content} alt={preview.name} className="max-h-80 rounded border" />;
  if (preview.type === "BINARY")
    return <p className="text-xs text-zinc-500">A binary file: download it to read it.</p>;
  const text = preview.content ?? "";
  if (preview.extension === "csv") {
    const [head, ...rows] = parseCsv(text);
    return (
      <div className="max-h-80 overflow-auto">
        <table aria-label={`Preview of ${preview.name}`} className="text-left text-xs">
          <thead>
            <tr>
              {(head ?? []).map((cell, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <th key={i} className="border-b px-2 py-1 font-semibold">
                  {cell}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional
              <tr key={r}>
                {row.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                  <td key={i} className="border-b border-zinc-100 px-2 py-0.5 font-mono dark:border-zinc-800">
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  let shown = text;
  if (preview.extension === "json" && !preview.truncated) {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not valid JSON: show it as it is
    }
  }
  return (
    <pre className="max-h-80 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950">{shown}</pre>
  );
}

export function FileValue({
  tenant,
  executionId,
  uri,
}: {
  tenant: string;
  executionId: string;
  uri: string;
}) {
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const base = `/api/v1/${encodeURIComponent(tenant)}/executions/${encodeURIComponent(executionId)}/file`;
  const query = `?path=${encodeURIComponent(uri)}`;
  const load = async () => {
    if (preview) return setPreview(undefined);
    const response = await fetch(`${base}/preview${query}`);
    const body = (await response.json()) as Preview & { message?: string };
    if (!response.ok) return setError(body.message ?? `${response.status}`);
    setPreview(body);
  };
  return (
    <span className="inline-block min-w-0">
      <span className="break-all">{uri}</span>{" "}
      <button
        type="button"
        onClick={() => void load()}
        className="text-brand-700 hover:underline dark:text-brand-300"
      >
        {preview ? "Hide" : "Preview"}
      </button>{" "}
      <a href={`${base}${query}`} download className="text-brand-700 hover:underline dark:text-brand-300">
        Download
      </a>
      {error ? <ErrorText>{error}</ErrorText> : null}
      {preview ? (
        <span className="mt-1 block" data-testid="file-preview">
          {preview.truncated ? (
            <span className="block text-xs text-amber-700">
              Showing the first part of {preview.size.toLocaleString()} bytes.
            </span>
          ) : null}
          <Body preview={preview} />
        </span>
      ) : null}
    </span>
  );
}
