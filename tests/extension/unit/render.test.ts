// Lesson Markdown -> HTML: buttons for allow-listed commands, everything else neutralised.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JSDOM } from "jsdom";
import { describe, expect, it } from "vitest";
import { parseLesson } from "../../../extension/lesson/frontmatter";
import { renderLesson } from "../../../extension/lesson/render";

const REPO = join(__dirname, "..", "..", "..");
const dom = (html: string): Document => new JSDOM(`<main>${html}</main>`).window.document;

describe("renderLesson", () => {
  it("turns a run command link into a button followed directly by its idle run panel", () => {
    const { html, steps } = renderLesson("Go:\n\n[Install it](command:tenstorrent.installTtXla)\n");
    const doc = dom(html);
    const button = doc.querySelector('button.tt-run[data-command="tenstorrent.installTtXla"]');
    expect(button?.textContent).toBe("Install it");
    const panel = doc.querySelector('button.tt-run[data-command="tenstorrent.installTtXla"] + .tt-run-panel');
    expect(panel?.getAttribute("data-command")).toBe("tenstorrent.installTtXla");
    expect(panel?.getAttribute("data-status")).toBe("idle");
    for (const sel of [
      "pre.tt-log",
      "progress.tt-progress",
      ".tt-step",
      ".tt-status",
      ".tt-exit-code",
      ".tt-duration",
      "button.tt-cancel",
      ".tt-result",
      ".tt-error",
    ]) {
      expect(panel?.querySelector(sel), sel).not.toBeNull();
    }
    expect(steps).toEqual([{ stepId: "step-0", command: "tenstorrent.installTtXla", args: {}, alone: true }]);
    expect(doc.querySelector("p button")).toBeNull(); // a <p> would split button and panel
  });

  it("keeps validated arguments on the button and drops links with bad ones", () => {
    const ok = encodeURIComponent(JSON.stringify({ shape: "2x4" }));
    const bad = encodeURIComponent(JSON.stringify({ shape: "2x4; rm -rf /" }));
    const extra = encodeURIComponent(JSON.stringify({ venv: "/etc" }));
    const { html, steps } = renderLesson(
      `[a](command:tenstorrent.runMeshExample?${ok}) [b](command:tenstorrent.runMeshExample?${bad}) [c](command:tenstorrent.runTtXlaDemo?${extra})`,
    );
    const doc = dom(html);
    const buttons = doc.querySelectorAll("button.tt-run");
    expect(buttons).toHaveLength(1);
    expect(JSON.parse(buttons[0]?.getAttribute("data-args") ?? "")).toEqual({ shape: "2x4" });
    expect(steps.map((s) => s.args)).toEqual([{ shape: "2x4" }]);
    expect(doc.body.textContent).toContain("b");
    expect(doc.querySelector("a")).toBeNull();
  });

  it("neutralises a hostile lesson: raw HTML, script, foreign command links, javascript: URLs", () => {
    const hostile = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(2)">',
      "[type into terminal](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%5Cn%22%7D)",
      "[open](command:tenstorrent.openLesson) [cancel](command:tenstorrent.cancelRun)",
      "[js](javascript:alert(3)) [data](data:text/html,<script>x</script>)",
      "[fake](command:tenstorrent.installTtXla%22%20onclick%3D%22alert(4))",
    ].join("\n\n");
    const { html, steps } = renderLesson(hostile);
    const doc = dom(html);
    expect(doc.querySelector("script")).toBeNull();
    expect(doc.querySelector("img")).toBeNull();
    expect(html).not.toMatch(/<script|<img|href="(command|javascript|data):/i);
    const attrs = [...doc.querySelectorAll("*")].flatMap((e) => [...e.attributes].map((a) => a.name));
    expect(attrs.filter((a) => a.startsWith("on") || a === "href")).toEqual([]);
    expect(doc.querySelectorAll("button")).toHaveLength(0);
    expect(doc.querySelectorAll("a")).toHaveLength(0);
    expect(steps).toEqual([]);
    expect(doc.body.textContent).toContain("<script>alert(1)</script>"); // shown as text, inert
  });

  it("keeps ordinary web links and highlights code", () => {
    const { html } = renderLesson("[docs](https://docs.jax.dev/)\n\n```python\nimport jax\n```\n");
    const doc = dom(html);
    expect(doc.querySelector("a")?.getAttribute("href")).toBe("https://docs.jax.dev/");
    expect(doc.querySelector("pre.hljs .hljs-keyword")?.textContent).toBe("import");
  });

  it("renders UI-only commands as plain buttons without a run panel", () => {
    const doc = dom(renderLesson("[log](command:tenstorrent.showOutput)").html);
    expect(doc.querySelector('button.tt-command[data-command="tenstorrent.showOutput"]')).not.toBeNull();
    expect(doc.querySelector(".tt-run-panel")).toBeNull();
  });
});

describe("the shipped lesson", () => {
  const lesson = parseLesson(readFileSync(join(REPO, "lessons", "tt-xla-jax.md"), "utf8"));

  it("has valid front matter", () => {
    expect(lesson.meta).toMatchObject({ id: "tt-xla-jax", minutes: expect.any(Number) });
    expect(lesson.meta.hardware.length).toBeGreaterThan(0);
  });

  it("shows the reader's own results under 'What you just accomplished'", () => {
    const doc = dom(renderLesson(lesson.body).html);
    const boxes = doc.querySelectorAll(".tt-summary");
    expect(boxes).toHaveLength(1);
    // Inside its section: the nearest heading before it.
    const headings = [...doc.querySelectorAll("h2")].filter(
      (h) => h.compareDocumentPosition(boxes[0]!) & 4 /* FOLLOWING */,
    );
    expect(headings.at(-1)?.textContent).toBe("What you just accomplished");
  });

  it("makes every command link a working button, one per step", () => {
    const { html, steps } = renderLesson(lesson.body);
    const links = [...lesson.body.matchAll(/\]\(command:/g)].length;
    expect(steps).toHaveLength(links);
    const cmds = new Set(steps.map((s) => s.command));
    for (const c of [
      "runDoctor",
      "installTtXla",
      "testTtXlaInstall",
      "runTtXlaDemo",
      "runMeshExample",
      "runCnnExample",
    ]) {
      expect(cmds.has(`tenstorrent.${c}`), c).toBe(true);
    }
    const doc = dom(html);
    for (const b of doc.querySelectorAll("button.tt-run")) {
      expect(b.nextElementSibling?.classList.contains("tt-run-panel")).toBe(true);
    }
  });

  it("teaches meshes with jax.sharding, not a made-up config flag", () => {
    expect(lesson.body).toContain("from jax.sharding import Mesh");
    expect(lesson.body).not.toContain("jax_tt_mesh");
  });
});

describe("parseLesson", () => {
  it("refuses a lesson without front matter or with a bad id", () => {
    expect(() => parseLesson("# hi")).toThrow(/front matter/);
    expect(() => parseLesson("---\nid: Bad Id\ntitle: t\nhardware: [a]\nminutes: 1\n---\n")).toThrow(/id/);
  });
});
