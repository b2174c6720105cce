// Markdown as React elements, never as HTML: marked's lexer parses (the library monaco already brings),
// and this file turns its tokens into elements. Raw HTML in the source is shown as text, links keep only
// http(s), mailto and relative targets, and images are not loaded (the app fetches nothing from outside).
import { marked, type Token, type Tokens } from "marked";
import type { ReactNode } from "react";

function safeHref(href: string): string | undefined {
  if (/^(https?:|mailto:)/i.test(href) || href.startsWith("/") || href.startsWith("#")) return href;
  return undefined;
}

function inline(tokens: Token[] | undefined, key = "i"): ReactNode[] {
  return (tokens ?? []).map((token, index) => {
    const k = `${key}.${index}`;
    switch (token.type) {
      case "strong":
        return <strong key={k}>{inline((token as Tokens.Strong).tokens, k)}</strong>;
      case "em":
        return <em key={k}>{inline((token as Tokens.Em).tokens, k)}</em>;
      case "del":
        return <del key={k}>{inline((token as Tokens.Del).tokens, k)}</del>;
      case "codespan":
        return (
          <code key={k} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] dark:bg-zinc-800">
            {decode((token as Tokens.Codespan).text)}
          </code>
        );
      case "br":
        return <br key={k} />;
      case "link": {
        const link = token as Tokens.Link;
        const href = safeHref(link.href);
        const children = inline(link.tokens, k);
        return href ? (
          <a key={k} href={href} className="text-brand-600 hover:underline" rel="noreferrer noopener">
            {children}
          </a>
        ) : (
          <span key={k}>{children}</span>
        );
      }
      case "image":
        return <span key={k}>[{(token as Tokens.Image).text}]</span>;
      case "text": {
        const text = token as Tokens.Text;
        return text.tokens ? <span key={k}>{inline(text.tokens, k)}</span> : decode(text.text);
      }
      default:
        // html, escape and anything unknown: its source, as text.
        return decode(token.raw);
    }
  });
}

/** marked escapes &, <, >, " and ' in text tokens; React escapes again, so undo marked's. */
function decode(text: string): string {
  return text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");
}

function block(token: Token, key: string): ReactNode {
  switch (token.type) {
    case "space":
    case "hr":
      return token.type === "hr" ? (
        <hr key={key} className="my-4 border-zinc-200 dark:border-zinc-800" />
      ) : null;
    case "heading": {
      const heading = token as Tokens.Heading;
      const className = "mt-5 mb-2 font-semibold";
      const children = inline(heading.tokens, key);
      if (heading.depth <= 2)
        return (
          <h3 key={key} className={`${className} text-base`}>
            {children}
          </h3>
        );
      return (
        <h4 key={key} className={`${className} text-sm`}>
          {children}
        </h4>
      );
    }
    case "paragraph":
      return (
        <p key={key} className="my-2 leading-relaxed">
          {inline((token as Tokens.Paragraph).tokens, key)}
        </p>
      );
    case "code":
      return (
        <pre
          key={key}
          className="my-3 overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs leading-relaxed text-zinc-100"
        >
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      );
    case "blockquote":
      return (
        <blockquote
          key={key}
          className="my-3 border-l-4 border-zinc-300 pl-3 text-zinc-600 dark:border-zinc-700"
        >
          {(token as Tokens.Blockquote).tokens.map((t, i) => block(t, `${key}.${i}`))}
        </blockquote>
      );
    case "list": {
      const list = token as Tokens.List;
      const items = list.items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one parse never reorder
        <li key={`${key}.${i}`} className="my-1">
          {item.tokens.map((t, j) =>
            t.type === "text"
              ? inline((t as Tokens.Text).tokens ?? [t], `${key}.${i}.${j}`)
              : block(t, `${key}.${i}.${j}`),
          )}
        </li>
      ));
      return list.ordered ? (
        <ol key={key} className="my-2 list-decimal space-y-0.5 pl-6">
          {items}
        </ol>
      ) : (
        <ul key={key} className="my-2 list-disc space-y-0.5 pl-6">
          {items}
        </ul>
      );
    }
    case "table": {
      const table = token as Tokens.Table;
      return (
        <table key={key} className="my-3 text-left text-sm">
          <thead>
            <tr>
              {table.header.map((cell, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one parse never reorder
                <th key={`${key}.h${i}`} className="border-b px-2 py-1 font-medium">
                  {inline(cell.tokens, `${key}.h${i}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one parse never reorder
              <tr key={`${key}.r${r}`}>
                {row.map((cell, c) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: tokens of one parse never reorder
                  <td key={`${key}.r${r}.${c}`} className="border-b px-2 py-1">
                    {inline(cell.tokens, `${key}.r${r}.${c}`)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    default:
      return (
        <p key={key} className="my-2 whitespace-pre-wrap">
          {token.raw}
        </p>
      );
  }
}

export function Markdown({ source }: { source: string }) {
  const tokens = marked.lexer(source, { gfm: true });
  return (
    <div className="text-sm text-zinc-800 dark:text-zinc-200">{tokens.map((t, i) => block(t, `b${i}`))}</div>
  );
}
