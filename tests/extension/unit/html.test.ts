// The lesson page's HTML shell: its content security policy and its one nonce script.
import { describe, expect, it } from "vitest";
import { csp, lessonPage } from "../../../extension/lesson/html";

describe("lesson page", () => {
  it("has a strict CSP: nothing by default, nonce scripts, local styles and images only", () => {
    const policy = csp("vscode-resource:", "abc123");
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'nonce-abc123'");
    expect(policy).toContain("style-src vscode-resource:");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = lessonPage(
      { id: "l", title: "<T>", hardware: ["n300"], minutes: 5 },
      "<p>x</p>",
      { cspSource: "src:", scriptUri: "s.js", styleUri: "s.css" },
      "N0nce",
    );
    expect(html).toContain('<script nonce="N0nce" src="s.js"></script>');
    expect(html).toContain("<title>&lt;T&gt;</title>");
    expect(html.match(/<script/g)).toHaveLength(1); // no inline scripts
  });
});
