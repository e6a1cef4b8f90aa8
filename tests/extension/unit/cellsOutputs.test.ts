// @vitest-environment jsdom
// A cell's outputs in the DOM: ANSI colours, sanitised HTML (no script, no handlers, no inline
// style attributes), images as data: URIs, and the cap on a flood of output.
import { beforeEach, describe, expect, it } from "vitest";
import { emptySnapshot, type CellOutput } from "../../../extension/shared/cellModel";
import {
  ansiToDom,
  OutputArea,
  pickMime,
  renderOutput,
  safeDeclarations,
  sanitizeHtml,
} from "../../../extension/webview/cellOutputs";

const holder = (frag: Node): HTMLElement => {
  const div = document.createElement("div");
  div.append(frag);
  return div;
};

describe("ANSI", () => {
  it("colours spans through the CSSOM and keeps the text as text", () => {
    const div = holder(ansiToDom(document, "\u001b[31mred\u001b[0m plain \u001b[1m<b>bold</b>\u001b[0m"));
    expect(div.textContent).toBe("red plain <b>bold</b>");
    const [red, bold] = [...div.querySelectorAll("span")];
    expect(red?.style.color).toBe("rgb(187, 0, 0)");
    expect(bold?.classList.contains("tt-ansi-bold")).toBe(true);
    expect(div.querySelector("b")).toBeNull(); // markup in program output is never parsed
    expect(div.querySelector("[style]")?.getAttribute("style")).toMatch(/^color:/); // CSSOM, not parsed HTML
  });

  it("an IPython traceback comes out without escape codes", () => {
    const err: CellOutput = {
      output_type: "error",
      ename: "ZeroDivisionError",
      evalue: "division by zero",
      traceback: ["\u001b[0;31m---------\u001b[0m", "\u001b[0;31mZeroDivisionError\u001b[0m: division by zero"],
    };
    const el = renderOutput(document, err);
    expect(el.className).toBe("tt-out-error");
    expect(el.textContent).toBe("---------\nZeroDivisionError: division by zero");
    expect(el.textContent).not.toContain("\u001b");
  });
});

describe("HTML output", () => {
  it("loses scripts, handlers, links, frames and remote images; keeps its text and safe colours", () => {
    const hostile =
      `<div onclick="alert(1)" style="color: red; background: url(https://x/y.png); position: fixed">ok</div>` +
      `<script>alert(2)</script><img src="https://evil/x.png" onerror="alert(3)">` +
      `<a href="javascript:alert(4)">link</a><iframe src="https://x"></iframe>` +
      `<svg><script>alert(5)</script><animate onbegin="alert(6)"/></svg>` +
      `<span data-tt-style='[["position","fixed"],["color","blue"]]'>forged</span>`;
    const div = holder(sanitizeHtml(document, hostile));
    const html = div.innerHTML;
    for (const bad of [
      "<script",
      "onclick",
      "onerror",
      "onbegin",
      "javascript:",
      "<iframe",
      "https://",
      "url(",
      "fixed",
    ]) {
      expect(html).not.toContain(bad);
    }
    expect(div.textContent).toContain("ok");
    expect(div.querySelector("div")?.style.color).toBe("red");
    expect(div.querySelector("a")?.hasAttribute("href")).toBe(false);
    // A forged kept-style attribute goes through the same filter.
    expect(div.querySelector("span")?.style.color).toBe("blue");
    expect(div.querySelector("span")?.hasAttribute("data-tt-style")).toBe(false);
  });

  it("keeps a rich-style table (visualize_array_sharding) with its colours", () => {
    const html = `<pre style="white-space:pre;font-family:Menlo"><span style="color: #000000; background-color: #393b79">CPU 0</span></pre>`;
    const span = holder(sanitizeHtml(document, html)).querySelector("span");
    expect(span?.textContent).toBe("CPU 0");
    expect(span?.style.backgroundColor).toBe("rgb(57, 59, 121)");
  });

  it("takes only listed properties whose values load nothing", () => {
    expect(safeDeclarations("color: red; behavior: url(x.htc); background: url(a); font-weight: bold")).toEqual([
      ["color", "red"],
      ["font-weight", "bold"],
    ]);
  });
});

describe("rich outputs", () => {
  it("prefers an image, then HTML, then plain text", () => {
    expect(pickMime({ "text/plain": "t", "text/html": "<b>h</b>", "image/png": "AAAA" })).toBe("image/png");
    expect(pickMime({ "text/plain": "t", "text/html": "<b>h</b>" })).toBe("text/html");
    expect(pickMime({ "application/json": "{}" })).toBeUndefined();
  });

  it("draws a PNG as a data: URI image and refuses a payload that is not base64", () => {
    const ok = renderOutput(document, {
      output_type: "display_data",
      data: { "image/png": "iVBORw0KGgo=\n", "text/plain": "<Figure>" },
      metadata: {},
    });
    expect(ok.querySelector("img")?.getAttribute("src")).toBe("data:image/png;base64,iVBORw0KGgo=");
    expect(ok.querySelector("img")?.alt).toBe("<Figure>");
    const bad = renderOutput(document, {
      output_type: "display_data",
      data: { "image/png": '"><script>' },
      metadata: {},
    });
    expect(bad.querySelector("img")).toBeNull();
  });

  it("an execute_result shows its text/plain", () => {
    const el = renderOutput(document, {
      output_type: "execute_result",
      execution_count: 3,
      data: { "text/plain": "Array(64., dtype=float32)" },
      metadata: {},
    });
    expect(el.classList.contains("tt-out-result")).toBe(true);
    expect(el.textContent).toBe("Array(64., dtype=float32)");
  });
});

describe("OutputArea", () => {
  let root: HTMLElement;
  beforeEach(() => {
    document.body.innerHTML = `<div class="tt-cell-outputs"></div>`;
    root = document.querySelector<HTMLElement>(".tt-cell-outputs")!;
  });

  it("appends streamed text to the same <pre> and starts a new one for the other stream", () => {
    const area = new OutputArea(root, emptySnapshot());
    area.add({ output_type: "stream", name: "stdout", text: "a\n" });
    area.add({ output_type: "stream", name: "stdout", text: "b\n" });
    area.add({ output_type: "stream", name: "stderr", text: "warn\n" });
    area.add({ output_type: "stream", name: "stdout", text: "c\n" });
    expect([...root.children].map((e) => [e.className, e.textContent])).toEqual([
      ["tt-out-stream tt-out-stdout", "a\nb\n"],
      ["tt-out-stream tt-out-stderr", "warn\n"],
      ["tt-out-stream tt-out-stdout", "c\n"],
    ]);
  });

  it("a million lines leave a bounded DOM and a note of how much was dropped", () => {
    const area = new OutputArea(root, emptySnapshot());
    const chunk = "0123456789\n".repeat(1000);
    for (let i = 0; i < 1000; i++) area.add({ output_type: "stream", name: "stdout", text: chunk });
    expect(root.textContent.length).toBeLessThan(250_000);
    expect(root.querySelectorAll("pre").length).toBe(1);
    const note = root.querySelector(".tt-out-dropped");
    expect(note?.textContent).toBe("Output capped: 995,000 more lines (10.9 MB) not shown.");
    // The note stays last when an error follows the flood.
    area.add({ output_type: "error", ename: "KeyboardInterrupt", evalue: "", traceback: ["KeyboardInterrupt"] });
    expect(root.lastElementChild?.className).toBe("tt-out-dropped");
    expect(root.querySelector(".tt-out-error")?.textContent).toBe("KeyboardInterrupt");
  });

  it("redraws a saved snapshot with its note", () => {
    const snap = {
      ...emptySnapshot(),
      outputs: [{ output_type: "stream", name: "stdout", text: "64.0\n" }] as CellOutput[],
    };
    snap.dropped.lines = 5;
    const area = new OutputArea(root, snap);
    area.redraw();
    expect(root.querySelector("pre")?.textContent).toBe("64.0\n");
    expect(root.querySelector(".tt-out-dropped")?.textContent).toMatch(/5 more lines/);
  });
});
