// @vitest-environment jsdom
// The lesson's cells (which fences, their numbers, their HTML) and the shared output model (caps,
// merging, the per-lesson size bound, parsing what comes back from storage).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { describe, expect, it } from "vitest";
import {
  appendOutput,
  boundLesson,
  droppedNote,
  emptySnapshot,
  parseSnapshot,
  sizeOf,
  startRun,
  type CellOutput,
  type LessonCells,
} from "../../../extension/shared/cellModel";
import { cellSource, isCellFence, isRunnableInfo, type LessonCell } from "../../../extension/lesson/cells";
import { csp } from "../../../extension/lesson/html";
import { parseLesson } from "../../../extension/lesson/frontmatter";
import { renderLesson } from "../../../extension/lesson/render";

/** The cells of a parsed lesson found by walking its tokens, apart from the renderer's count (the
 * fence rule in lesson/cells.ts): fences nested in lists and quotes count too. */
function cellsOf(tokens: Token[]): LessonCell[] {
  const cells: LessonCell[] = [];
  const visit = (list: Token[]): void => {
    for (const t of list) {
      if (isCellFence(t)) {
        cells.push({ index: cells.length, source: cellSource(t.content), runnable: isRunnableInfo(t.info) });
      }
      if (t.children) visit(t.children);
    }
  };
  visit(tokens);
  return cells;
}

const out = (text: string, name: "stdout" | "stderr" = "stdout"): CellOutput => ({ output_type: "stream", name, text });

describe("lesson cells", () => {
  const md = [
    "```python\nprint(1)\n```",
    "```bash\nls\n```",
    "- item\n\n  ```python norun\n  while True: pass\n  ```",
    "```\nplain\n```",
    "```python title=x\nprint(2)\n```",
    "```pythonic\nnot a cell\n```",
  ].join("\n\n");

  it("folds a check fence under its cell without counting it as a cell", () => {
    const { html, cells } = renderLesson("```python\nz = 1\n```\n\n```check\nz == 1\nhint: <b>x</b>\n```\n");
    expect(cells.map((c) => c.index)).toEqual([0]);
    expect(html).toContain('<details class="tt-check"><summary>What is checked</summary>');
    expect(html).toContain("z == 1");
    expect(html).not.toContain("<b>x</b>");
  });

  it("numbers every python fence in order, norun ones included, and only those", () => {
    const cells = cellsOf(new MarkdownIt().parse(md, {}));
    expect(cells).toEqual([
      { index: 0, source: "print(1)", runnable: true },
      { index: 1, source: "while True: pass", runnable: false },
      { index: 2, source: "print(2)", runnable: true },
    ]);
  });

  it("renders each cell with its number; a norun cell has no Run or Interrupt button", () => {
    const { html, cells } = renderLesson(md);
    expect(cells.map((c) => c.index)).toEqual([0, 1, 2]);
    const doc = new DOMParser().parseFromString(html, "text/html");
    const els = [...doc.querySelectorAll<HTMLElement>(".tt-cell")];
    expect(els.map((e) => e.dataset.cell)).toEqual(["0", "1", "2"]);
    expect(els.map((e) => e.querySelector(".tt-cell-run") !== null)).toEqual([true, false, true]);
    expect(els[1]?.querySelector(".tt-cell-interrupt")).toBeNull();
    expect(els[1]?.dataset.runnable).toBe("false");
    // The original text is the highlighted <pre>'s text: what Reset puts back.
    expect(els[0]?.querySelector("pre code")?.textContent).toBe("print(1)\n");
    // Other fences stay plain code blocks.
    expect(doc.querySelectorAll("pre").length).toBe(6);
    expect(doc.querySelectorAll(".tt-cell pre").length).toBe(3);
  });

  it("agrees with the lesson: Step 2's block and Step 4's mesh block are cells", () => {
    const body = parseLesson(readFileSync(join(__dirname, "../../../lessons/tt-xla-jax.md"), "utf8")).body;
    const { cells } = renderLesson(body);
    expect(cells.length).toBe(cellsOf(new MarkdownIt().parse(body, {})).length);
    expect(cells.some((c) => c.runnable && c.source.includes("jnp.ones(32)"))).toBe(true);
    expect(cells.some((c) => c.runnable && c.source.includes("NamedSharding"))).toBe(true);
  });
});

describe("the page's CSP with cells", () => {
  it("allows data: images (cell outputs) and nonce'd styles (the editor), still no inline anything", () => {
    const policy = csp("vscode-resource:", "n0nce");
    expect(policy).toContain("img-src vscode-resource: data:");
    expect(policy).toContain("style-src vscode-resource: 'nonce-n0nce'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|script-src[^;]*data:/);
  });
});

describe("cell output model", () => {
  it("merges a stream into the last output of the same stream, not across streams", () => {
    const s = emptySnapshot();
    expect(appendOutput(s, out("a\n"))).toEqual([{ kind: "added", output: out("a\n") }]);
    expect(appendOutput(s, out("b\n"))).toEqual([{ kind: "merged", text: "b\n" }]);
    appendOutput(s, out("oops\n", "stderr"));
    expect(s.outputs).toEqual([out("a\nb\n"), out("oops\n", "stderr")]);
  });

  it("a chunk cut at the line cap keeps whole lines: every line is either shown or counted, never both", () => {
    const s = emptySnapshot();
    const lines = Array.from({ length: 20 }, (_, i) => `l${i}\n`).join("");
    appendOutput(s, out(lines), { chars: 1_000, lines: 10, items: 5 });
    const kept = (s.outputs[0] as { text: string }).text;
    // Before: "l0\n…l9\nl10" showed line 10 while the note counted it as not shown.
    expect(kept).toBe(lines.split("\n").slice(0, 10).join("\n") + "\n");
    expect(s.dropped.lines).toBe(10);
    expect(droppedNote(s.dropped)).toMatch(/^Output capped: 10 more lines /);
  });

  it("keeps the head of a flood and counts the rest", () => {
    const s = emptySnapshot();
    const caps = { chars: 1_000, lines: 10, items: 5 };
    for (let i = 0; i < 1000; i++) appendOutput(s, out(`line ${i}\n`), caps);
    expect(s.outputs).toHaveLength(1);
    const kept = (s.outputs[0] as { text: string }).text;
    expect(kept.split("\n").slice(0, 2)).toEqual(["line 0", "line 1"]);
    expect(kept.split("\n").length - 1).toBeLessThanOrEqual(10);
    expect(s.dropped.lines + (kept.split("\n").length - 1)).toBe(1000);
    expect(droppedNote(s.dropped)).toMatch(/^Output capped: 990 more lines \(\d+\.\d kB\) not shown\.$/);
  });

  it("cuts one huge chunk by characters and drops later rich outputs past the cap, errors excepted", () => {
    const s = emptySnapshot();
    const caps = { chars: 100, lines: 1000, items: 3 };
    appendOutput(s, out("x".repeat(250)), caps);
    expect((s.outputs[0] as { text: string }).text).toHaveLength(100);
    expect(s.dropped.chars).toBe(150);
    expect(appendOutput(s, { output_type: "display_data", data: { "text/plain": "big" }, metadata: {} }, caps)).toEqual(
      [{ kind: "dropped" }],
    );
    const err: CellOutput = { output_type: "error", ename: "E", evalue: "v", traceback: ["tb"] };
    expect(appendOutput(s, err, caps)).toEqual([{ kind: "added", output: err }]);
  });

  it("a new run clears outputs and counts but keeps the edit", () => {
    const s = { ...emptySnapshot(), code: "print(2)" };
    appendOutput(s, out("x".repeat(50)), { chars: 10, lines: 10, items: 10 });
    startRun(s);
    expect(s).toMatchObject({ code: "print(2)", outputs: [], status: "running", dropped: { chars: 0 } });
    appendOutput(s, out("fresh"), { chars: 10, lines: 10, items: 10 });
    expect(s.outputs).toEqual([out("fresh")]);
  });

  it("bounds a lesson's saved cells: outputs of the largest cell go first, edits stay", () => {
    const cells: LessonCells = {
      0: { ...emptySnapshot(), code: "edited", outputs: [out("small")] },
      1: { ...emptySnapshot(), outputs: [out("a".repeat(5000)), out("b".repeat(5000), "stderr")] },
    };
    const bounded = boundLesson(cells, 6000);
    expect(sizeOf(bounded)).toBeLessThanOrEqual(6000);
    expect(bounded[0]).toMatchObject({ code: "edited", outputs: [out("small")] });
    expect(bounded[1]?.outputs).toEqual([out("a".repeat(5000))]);
    expect(bounded[1]?.dropped.items).toBe(1);
    // The input is not changed.
    expect(cells[1]?.outputs).toHaveLength(2);
  });

  it("reads saved snapshots back: a run in flight becomes idle, malformed ones are refused", () => {
    const saved = JSON.parse(
      JSON.stringify({ ...emptySnapshot(), status: "running", code: "x", outputs: [out("hi")], executionCount: 3 }),
    ) as unknown;
    expect(parseSnapshot(saved)).toMatchObject({ status: "idle", code: "x", outputs: [out("hi")], executionCount: 3 });
    expect(parseSnapshot({ status: "nope", outputs: [] })).toBeUndefined();
    expect(
      parseSnapshot({ status: "idle", outputs: [{ output_type: "stream", name: "evil", text: "" }] }),
    ).toBeUndefined();
    expect(
      parseSnapshot({ status: "idle", outputs: [{ output_type: "stream", name: "stdout", text: ["a", "b"] }] }),
    ).toMatchObject({ outputs: [out("ab")] });
  });
});
