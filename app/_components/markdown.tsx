// Markdown (plugin docs) rendered as React elements from marked's tokens: never as HTML. Raw HTML in the
// source shows as text, and links keep only http(s), mailto and site-relative targets. We walk the tokens
// ourselves rather than sanitising marked's HTML output, so nothing reaches dangerouslySetInnerHTML.
import { lexer, type Token, type Tokens } from "marked";
import type { ReactNode } from "react";

const safeHref = (href: string) => (/^(https?:|mailto:|\/(?!\/)|#)/i.test(href) ? href : undefined);

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
          <code key={k} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.9em] dark:bg-zinc-800">
            {decode((token as Tokens.Codespan).text)}
          </code>
        );
      case "br":
        return <br key={k} />;
      case "link": {
        const link = token as Tokens.Link;
        const href = safeHref(link.href);
        return href ? (
          <a key={k} href={href} className="text-brand-700 underline dark:text-brand-100" rel="noreferrer">
            {inline(link.tokens, k)}
          </a>
        ) : (
          <span key={k}>{inline(link.tokens, k)}</span>
        );
      }
      case "text": {
        const text = token as Tokens.Text;
        return text.tokens ? (
          <span key={k}>{inline(text.tokens, k)}</span>
        ) : (
          <span key={k}>{decode(text.text)}</span>
        );
      }
      default:
        return <span key={k}>{decode((token as { raw: string }).raw)}</span>;
    }
  });
}

/** marked escapes &, <, > and quotes in text it hands over; React escapes again, so undo marked's. */
function decode(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function block(token: Token, k: string): ReactNode {
  switch (token.type) {
    case "heading": {
      const h = token as Tokens.Heading;
      const content = inline(h.tokens, k);
      if (h.depth <= 1)
        return (
          <h2 key={k} className="mt-6 mb-2 text-xl font-semibold">
            {content}
          </h2>
        );
      if (h.depth === 2)
        return (
          <h2
            key={k}
            className="mt-8 mb-3 border-b border-zinc-200 pb-1 text-lg font-semibold dark:border-zinc-800"
          >
            {content}
          </h2>
        );
      return (
        <h3 key={k} className="mt-5 mb-2 font-semibold">
          {content}
        </h3>
      );
    }
    case "paragraph":
      return (
        <p key={k} className="my-3 leading-relaxed">
          {inline((token as Tokens.Paragraph).tokens, k)}
        </p>
      );
    case "blockquote":
      return (
        <blockquote
          key={k}
          className="my-3 border-l-4 border-brand-500 pl-4 text-zinc-700 dark:text-zinc-300"
        >
          {(token as Tokens.Blockquote).tokens.map((t, i) => block(t, `${k}.${i}`))}
        </blockquote>
      );
    case "code":
      return (
        <pre
          key={k}
          className="my-3 overflow-x-auto rounded-lg bg-zinc-900 p-4 font-mono text-sm text-zinc-100"
        >
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      );
    case "list": {
      const list = token as Tokens.List;
      const items = list.items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a rendered document never reorders
        <li key={i}>
          {item.tokens.map((t, j) =>
            t.type === "text"
              ? inline((t as Tokens.Text).tokens ?? [t], `${k}.${i}.${j}`)
              : block(t, `${k}.${i}.${j}`),
          )}
        </li>
      ));
      return list.ordered ? (
        <ol key={k} className="my-3 list-decimal pl-6">
          {items}
        </ol>
      ) : (
        <ul key={k} className="my-3 list-disc pl-6">
          {items}
        </ul>
      );
    }
    case "table": {
      const table = token as Tokens.Table;
      return (
        <div key={k} className="my-3 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-zinc-600 dark:text-zinc-400">
              <tr>
                {table.header.map((cell, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: columns never reorder
                  <th key={i} className="border-b border-zinc-200 py-2 pr-4 font-medium dark:border-zinc-800">
                    {inline(cell.tokens, `${k}.h${i}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800">
              {table.rows.map((row, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows never reorder
                <tr key={r}>
                  {row.map((cell, c) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns never reorder
                    <td key={c} className="py-2 pr-4">
                      {inline(cell.tokens, `${k}.${r}.${c}`)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case "hr":
      return <hr key={k} className="my-6 border-zinc-200 dark:border-zinc-800" />;
    case "space":
      return null;
    default:
      // html and anything else: shown as the text it is.
      return (
        <p key={k} className="my-3 whitespace-pre-wrap">
          {(token as { raw: string }).raw}
        </p>
      );
  }
}

export function Markdown({ source }: { source: string }) {
  return (
    <div className="text-zinc-800 dark:text-zinc-200">{lexer(source).map((t, i) => block(t, String(i)))}</div>
  );
}
