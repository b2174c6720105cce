// Tenant-written Markdown becomes HTML with no script, handler, foreign image or unsafe link.
import { describe, expect, it } from "vitest";
import { markdownToHtml } from "./markdown";

describe("markdownToHtml", () => {
  it("renders Markdown and escapes raw HTML", () => {
    const html = markdownToHtml(
      '# Title\n\n**bold** `code`\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">',
    );
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
  });

  it("keeps safe links only, and shows images as their text", () => {
    const html = markdownToHtml(
      "[a](javascript:alert(1)) [b](https://example.test) [c](/flows) ![pic](https://cdn.test/x.png)",
    );
    expect(html).not.toContain("javascript:");
    expect(html).toContain('<a href="https://example.test" rel="noopener noreferrer" target="_blank">b</a>');
    expect(html).toContain('<a href="/flows">c</a>');
    expect(html).not.toContain("cdn.test");
    expect(html).toContain("pic");
  });
});
