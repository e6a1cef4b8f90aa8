// @vitest-environment jsdom
// "What you just accomplished": the reader's own results as lines (shared/summary.ts), the
// ```summary fence's container (lesson/cells.ts) and the webview filling it (webview/summary.ts).
import { describe, expect, it } from "vitest";
import type {
  CnnResult,
  DemoResult,
  DoctorResult,
  InstallResult,
  MeshResult,
  SanityResult,
} from "../../../extension/backend/protocol";
import { renderLesson } from "../../../extension/lesson/render";
import { SUMMARY_KINDS, summaryLines, type CellPass, type SummaryKind } from "../../../extension/shared/summary";
import { Summary } from "../../../extension/webview/summary";

const sanity = (over: Partial<SanityResult> = {}): SanityResult => ({
  kind: "sanity",
  devices: [{ id: 0, platform: "tt", kind: "Wormhole_b0", description: "TTDevice(id=0)", arch: "Wormhole_b0" }],
  platform: "tt",
  resultDevice: "TTDevice(id=0, arch=Wormhole_b0)",
  value: 32,
  expected: 32,
  ok: true,
  ttDevice: true,
  jaxVersion: "0.7.1",
  timings: { importS: 1, computeS: 0.1 },
  ...over,
});
const gpt2: DemoResult = {
  kind: "gpt2",
  model: "gpt2",
  modelSource: "/m",
  prompt: "The capital of France is",
  nextToken: " Paris",
  probability: 0.4,
  topK: [{ token: " Paris", tokenId: 6342, probability: 0.4 }],
  platform: "cpu",
  ttDevice: false,
  cacheHit: false,
  timings: { loadS: 1, compileS: 2, firstTokenS: 0.5, tokensPerS: 12.345 },
};
const mesh: MeshResult = {
  kind: "mesh",
  rows: 2,
  cols: 4,
  axisNames: ["data", "model"],
  platform: "cpu",
  ttDevice: false,
  devices: [],
  shards: [],
  maxAbsError: 0,
  ok: true,
  timings: {},
};
const cnn: CnnResult = {
  kind: "cnn",
  dataset: "digits",
  epochs: 3,
  losses: [2, 1, 0.5],
  testAccuracy: 0.931,
  trainS: 3,
  platform: "cpu",
  ttDevice: false,
};
const doctor = (statuses: ("ok" | "warn" | "fail")[]): DoctorResult => ({
  kind: "doctor",
  findings: statuses.map((status, i) => ({ id: `f${i}`, status, title: `Finding ${i}`, detail: "" })),
});
const install: InstallResult = {
  kind: "install",
  venv: "/venvs/tt",
  installer: "uv",
  cpuOnly: true,
  repaired: false,
  packages: { jax: "0.7.1", jaxlib: "0.7.1", flax: "0.11.0" },
};
const byKind = (results: Parameters<typeof summaryLines>[0]): Record<string, string> =>
  Object.fromEntries(summaryLines(results).map((l) => [l.kind, l.text]));

describe("summaryLines", () => {
  it("says 'not run yet' for every step when nothing ran", () => {
    const lines = summaryLines([]);
    expect(lines.map((l) => l.kind)).toEqual([...SUMMARY_KINDS]);
    expect(lines.every((l) => !l.ran && l.text === "not run yet")).toBe(true);
  });

  it("states each step's own outcome: device, value, token and speed, mesh shape, accuracy, install", () => {
    const t = byKind([doctor(["ok", "ok"]), install, sanity(), gpt2, mesh, cnn]);
    expect(t.doctor).toBe("2 checks passed: nothing to fix.");
    expect(t.install).toBe("Created /venvs/tt with uv (CPU only): jax 0.7.1, flax 0.11.0.");
    expect(t.sanity).toBe(
      'Dot product 32.0 (correct) on a Tenstorrent device (platform "tt"), on TTDevice(id=0, arch=Wormhole_b0).',
    );
    expect(t.gpt2).toBe(
      'After “The capital of France is”: next token ␣Paris (40.0%); 12.3 tokens/s, on the CPU (platform "cpu").',
    );
    expect(t.mesh).toBe(
      '2×4 mesh (axes data, model) over 8 devices, same answer as NumPy, on the CPU (platform "cpu").',
    );
    expect(t.cnn).toBe('Test accuracy 93.1% after 3 epochs on digits, on the CPU (platform "cpu").');
  });

  it("the last result of a kind wins; other kinds of result are left out", () => {
    const lesson = { kind: "lesson" } as unknown as Parameters<typeof summaryLines>[0][number];
    const t = byKind([sanity({ value: 31, ok: false }), lesson, sanity({ platform: "cpu", ttDevice: false })]);
    expect(t.sanity).toMatch(/^Dot product 32\.0 \(correct\) on the CPU/);
    expect(byKind([sanity(), sanity({ value: 31, ok: false })]).sanity).toMatch(
      /^Dot product 31\.0 \(WRONG, expected 32\.0\)/,
    );
    expect(summaryLines([lesson]).every((l) => !l.ran)).toBe(true);
  });

  it("names the doctor's problems and warnings, and a run without a speed says none", () => {
    expect(byKind([doctor(["ok", "fail", "warn", "fail"])]).doctor).toBe(
      "2 problems and 1 warning (Finding 1); 1 check passed.",
    );
    expect(byKind([doctor(["warn"])]).doctor).toBe("1 warning (Finding 0); 0 checks passed.");
    const slow = { ...gpt2, timings: { loadS: 1, compileS: 2, firstTokenS: 0.5 } };
    expect(byKind([slow]).gpt2).not.toMatch(/tokens\/s/);
  });

  it("counts a cell that stands for a step and passed its check, with the values its lines print", () => {
    const pass = (kind: SummaryKind, cell: number, stdout: string): CellPass => ({ cellPass: { kind, cell, stdout } });
    // What the lesson's cells print (lessons/tt-xla-jax.md), as a kernel on the CPU prints it.
    const t = byKind([
      pass("sanity", 0, "[CpuDevice(id=0), CpuDevice(id=1)]\n32.0 {CpuDevice(id=0)}\n"),
      pass(
        "mesh",
        1,
        "NamedSharding(mesh=Mesh('data': 1, 'model': 2, axis_types=(Auto, Auto)), spec=PartitionSpec('data', 'model'))\n",
      ),
      pass("cnn", 5, "held-out accuracy 0.975, computed on cpu\n  digit 0: 1.00 of 33 right\n"),
    ]);
    expect(t.sanity).toBe("Your cell 1 ran and passed the lesson's check: dot product 32.0 on CpuDevice(id=0).");
    expect(t.mesh).toBe("Your cell 2 ran and passed the lesson's check: 1×2 mesh (axes data, model).");
    expect(t.cnn).toBe(
      `Your cell 6 ran and passed the lesson's check: held-out accuracy 97.5%, computed on platform "cpu".`,
    );
    expect(summaryLines([pass("gpt2", 3, "")]).find((l) => l.kind === "gpt2")?.ran).toBe(true);
    // An edited cell that prints something else: only that it passed, no value made up.
    expect(byKind([pass("sanity", 0, "done\n{1}\n")]).sanity).toBe("Your cell 1 ran and passed the lesson's check.");
    expect(byKind([pass("cnn", 5, "accuracy: great\n")]).cnn).toBe("Your cell 6 ran and passed the lesson's check.");
    // A cell and a step button for the same kind: the later one wins.
    expect(byKind([pass("sanity", 0, ""), sanity()]).sanity).toMatch(/^Dot product 32\.0 \(correct\)/);
    expect(byKind([sanity(), pass("sanity", 0, "")]).sanity).toMatch(/^Your cell 1 ran/);
  });
});

describe("cells that stand for a step (```python summary=KIND)", () => {
  it("are marked in the lesson's cells and their HTML; other words and unknown kinds are not", () => {
    const { html, cells } = renderLesson(
      "```python summary=cnn\nx = 1\n```\n\n```python norun summary=nope\ny = 2\n```\n\n```python\nz = 3\n```\n",
    );
    expect(cells.map((c) => c.summary)).toEqual(["cnn", undefined, undefined]);
    expect(cells.map((c) => c.runnable)).toEqual([true, false, true]);
    document.body.innerHTML = html;
    const marked = [...document.querySelectorAll<HTMLElement>(".tt-cell")].map((c) => c.dataset.summary);
    expect(marked).toEqual(["cnn", undefined, undefined]);
    // Still highlighted as Python: the extra word is not the language.
    expect(document.querySelector('.tt-cell[data-cell="0"] .hljs-number')).not.toBeNull();
  });
});

describe("the summary fence and its container", () => {
  const page = (): Document => {
    const { html, cells } = renderLesson("```python\nx = 1\n```\n\n```summary\n<script>alert(1)</script>\n```\n");
    expect(cells).toHaveLength(1); // a summary fence is no cell
    document.body.innerHTML = html;
    return document;
  };

  it("renders as an empty container, never the fence's text", () => {
    const doc = page();
    const box = doc.querySelector(".tt-summary");
    expect(box).not.toBeNull();
    expect(doc.querySelector("script")).toBeNull();
    expect(box?.textContent).not.toMatch(/alert/);
  });

  it("fills with 'not run yet', then each step's latest result in the order they ended, escaped", () => {
    const doc = page();
    const summary = new Summary(doc);
    summary.draw();
    const items = (): HTMLElement[] => [...doc.querySelectorAll<HTMLElement>(".tt-summary li.tt-summary-item")];
    expect(items()).toHaveLength(SUMMARY_KINDS.length);
    expect(items().every((li) => li.dataset.ran === "false" && li.classList.contains("tt-summary-not-run"))).toBe(true);

    // A kept run (older) and a live one for the same kind on different steps: the newer wins,
    // whichever was noted first.
    summary.note("step-3", sanity({ value: 31, ok: false }), 2000);
    summary.note("step-2", sanity(), 1000);
    const sanityLi = (): HTMLElement => doc.querySelector<HTMLElement>('.tt-summary li[data-kind="sanity"]')!;
    expect(sanityLi().dataset.ran).toBe("true");
    expect(sanityLi().querySelector(".tt-summary-label")?.textContent).toBe("First computation: ");
    expect(sanityLi().querySelector(".tt-summary-text")?.textContent).toMatch(/^Dot product 31\.0/);
    summary.note("step-2", sanity(), 3000); // step-2 ran again
    expect(sanityLi().querySelector(".tt-summary-text")?.textContent).toMatch(/^Dot product 32\.0/);

    // Text from a result is text, not markup.
    summary.note("step-5", { ...gpt2, prompt: "<img src=x onerror=alert(1)>" }, 4000);
    expect(doc.querySelector(".tt-summary img")).toBeNull();
    expect(doc.querySelector('.tt-summary li[data-kind="gpt2"]')?.textContent).toContain("<img src=x");

    summary.clear();
    expect(items().every((li) => li.dataset.ran === "false")).toBe(true);
  });
});
