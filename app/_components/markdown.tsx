// Markdown written by tenants (flow descriptions, plugin docs) as HTML. `marked` parses it; raw HTML in the
// text is escaped rather than passed through, links are kept only for http(s), mailto, relative and anchor
// targets, and images become their alt text (nothing is fetched from elsewhere) — so the output can hold no
// script, handler or foreign URL, without a DOM-based sanitiser on the server.
import { Marked, type Tokens } from "marked";

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const SAFE_HREF = /^(https?:\/\/|mailto:|\/(?!\/)|#|\.{0,2}\/)/i;

const marked = new Marked({ gfm: true, async: false });
marked.use({
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const body = this.parser.parseInline(tokens);
      if (!SAFE_HREF.test(href)) return body;
      const external = /^https?:/i.test(href);
      return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ""}${external ? ' rel="noopener noreferrer" target="_blank"' : ""}>${body}</a>`;
    },
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
  },
});

export function markdownToHtml(text: string): string {
  return marked.parse(text, { async: false }) as string;
}

export function Markdown({ text, className }: { text: string; className?: string }) {
  return (
    <div
      className={`markdown ${className ?? ""}`}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: markdownToHtml escapes raw HTML and unsafe links
      dangerouslySetInnerHTML={{ __html: markdownToHtml(text) }}
    />
  );
}
