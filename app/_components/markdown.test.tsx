// The Markdown renderer of plugin docs never emits HTML from its source: raw HTML shows as text and
// links keep only safe targets. And a real plugin page renders its tables and examples.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { pluginDoc } from "@/server/services/plugin-docs";
import { Markdown } from "./markdown";

const html = (source: string) => renderToStaticMarkup(<Markdown source={source} />);

describe("Markdown", () => {
  it("shows raw HTML as text", () => {
    const out = html('<script>alert(1)</script>\n\nText with <img src=x onerror="alert(2)"> inline.');
    expect(out).not.toContain("<script");
    expect(out).not.toContain("<img");
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("keeps only safe link targets", () => {
    const out = html("[bad](javascript:alert(1)) [good](https://kestra.io/docs) [local](/plugins)");
    expect(out).not.toContain("javascript:");
    expect(out).toContain('href="https://kestra.io/docs"');
    expect(out).toContain('href="/plugins"');
  });

  it("renders a plugin page: properties table, code spans and YAML examples", () => {
    const doc = pluginDoc("core.log.Log");
    expect(doc).toBeDefined();
    const out = html(doc?.markdown ?? "");
    expect(out).toContain("<table");
    expect(out).toMatch(/<th[^>]*>(<span>)?property(<\/span>)?<\/th>/);
    expect(out).toContain("<code");
    expect(out).toContain("<pre");
    expect(out).toContain("type: io.kestra.plugin.core.log.Log");
  });
});
