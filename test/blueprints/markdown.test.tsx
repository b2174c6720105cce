// Blueprint descriptions are Markdown written by tenants (custom blueprints): rendered as React elements
// by the console's one renderer, never as HTML, so a description cannot inject markup, scripts or
// javascript: links.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/app/_components/markdown";

const html = (source: string) => renderToStaticMarkup(<Markdown source={source} />);
const text = (markup: string) => markup.replace(/<[^>]+>/g, "");

describe("blueprint Markdown", () => {
  it("renders the Markdown blueprints use", () => {
    const out = html(
      "Hello **world** and `code`.\n\n- one\n- two\n\n```yaml\nid: x\n```\n\n[docs](https://kestra.io/docs)",
    );
    expect(out).toMatch(/<strong>(<span>)?world(<\/span>)?<\/strong>/);
    expect(out).toMatch(/<code[^>]*>code<\/code>/);
    expect(out).toMatch(/<ul[^>]*><li[^>]*>(<span>)?one(<\/span>)?<\/li><li[^>]*>(<span>)?two/);
    expect(out).toContain("id: x");
    expect(out).toMatch(/<a href="https:\/\/kestra.io\/docs"[^>]*>(<span>)?docs/);
  });

  it("shows raw HTML as text and drops unsafe links and images", () => {
    const out = html(
      'Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) ![pixel](https://tracker.example/p.png)\n\n<div onclick="x()">block</div>',
    );
    expect(out).not.toMatch(/<script|<img|<div onclick|href="javascript/i);
    expect(text(out)).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(text(out)).toContain("click");
    expect(out).not.toContain('src="https://tracker.example');
  });
});
