// Blueprint descriptions are Markdown written by tenants (custom blueprints): rendered as React elements,
// never as HTML, so a description cannot inject markup, scripts or javascript: links.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "@/app/blueprints/_components/markdown";

const html = (source: string) => renderToStaticMarkup(<Markdown source={source} />);

describe("blueprint Markdown", () => {
  it("renders the Markdown blueprints use", () => {
    const out = html(
      "Hello **world** and `code`.\n\n- one\n- two\n\n```yaml\nid: x\n```\n\n[docs](https://kestra.io/docs)",
    );
    expect(out).toContain("<strong>world</strong>");
    expect(out).toMatch(/<code[^>]*>code<\/code>/);
    expect(out).toMatch(/<ul[^>]*><li[^>]*>one<\/li><li[^>]*>two<\/li><\/ul>/);
    expect(out).toContain("id: x");
    expect(out).toMatch(/<a href="https:\/\/kestra.io\/docs"[^>]*>docs<\/a>/);
  });

  it("shows raw HTML as text and drops unsafe links and images", () => {
    const out = html(
      'Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) ![pixel](https://tracker.example/p.png)\n\n<div onclick="x()">block</div>',
    );
    expect(out).not.toMatch(/<script|<img|<div onclick|href="javascript/i);
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("<span>click</span>");
    expect(out).toContain("[pixel]");
  });
});
