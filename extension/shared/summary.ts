// "What you just accomplished", from the reader's own runs: one line per kind of lesson step,
// built from the last result of that kind (a live run or one kept across reloads, or a cell that
// stands for the step and passed its check), or "not run yet". Pure, so the webview draws it and
// the unit tests check the words without a DOM.
import type { ResultEvent } from "../backend/protocol";
import { formatFloat, formatPercent, showToken } from "./format";

type RunResult = ResultEvent["result"];

/** The step results the summary reads, in the lesson's order. */
export const SUMMARY_KINDS = ["doctor", "install", "sanity", "gpt2", "mesh", "cnn"] as const;
export type SummaryKind = (typeof SUMMARY_KINDS)[number];

export interface SummaryLine {
  kind: SummaryKind;
  /** What the step is, in a word or two ("GPT-2"). */
  label: string;
  /** The reader's outcome, or "not run yet". */
  text: string;
  ran: boolean;
}

const LABELS: Record<SummaryKind, string> = {
  doctor: "Machine check",
  install: "Environment",
  sanity: "First computation",
  gpt2: "GPT-2",
  mesh: "Mesh",
  cnn: "CNN",
};

export const isSummaryKind = (v: unknown): v is SummaryKind => SUMMARY_KINDS.includes(v as SummaryKind);

/**
 * A cell the lesson marks as standing for a step (```python summary=KIND) whose last run passed
 * the lesson's check. Only what that says is stated, plus values its own printed lines show.
 */
export interface CellPass {
  cellPass: {
    kind: SummaryKind;
    /** The cell's number (0-based, as the lesson counts them). */
    cell: number;
    /** What the cell printed to stdout. */
    stdout: string;
  };
}

type Of<K extends SummaryKind> = Extract<RunResult, { kind?: K }>;

const where = (r: { ttDevice: boolean; platform: string }): string =>
  r.ttDevice ? `on a Tenstorrent device (platform "${r.platform}")` : `on the CPU (platform "${r.platform}")`;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

function doctorText(r: Of<"doctor">): string {
  const count = (s: string): number => r.findings.filter((f) => f.status === s).length;
  const fails = count("fail");
  const warns = count("warn");
  const ok = count("ok");
  if (!fails && !warns) return `${plural(ok, "check")} passed: nothing to fix.`;
  const first = r.findings.find((f) => f.status === (fails ? "fail" : "warn"));
  const found = [fails ? plural(fails, "problem") : "", warns ? plural(warns, "warning") : ""].filter(Boolean);
  return `${found.join(" and ")} (${first?.title ?? ""}); ${plural(ok, "check")} passed.`;
}

/** The packages a reader cares about first, when the install reported them. */
const KEY_PACKAGES = ["jax", "pjrt-plugin-tt", "flax"];

function installText(r: Of<"install">): string {
  const versions = KEY_PACKAGES.filter((p) => r.packages[p]).map((p) => `${p} ${r.packages[p]}`);
  const cpu = r.cpuOnly ? " (CPU only)" : "";
  const with_ = versions.length ? `: ${versions.join(", ")}` : "";
  return `${r.repaired ? "Updated" : "Created"} ${r.venv} with ${r.installer}${cpu}${with_}.`;
}

function sanityText(r: Of<"sanity">): string {
  const verdict = r.ok ? "correct" : `WRONG, expected ${formatFloat(r.expected)}`;
  return `Dot product ${formatFloat(r.value)} (${verdict}) ${where(r)}, on ${r.resultDevice}.`;
}

function gpt2Text(r: Of<"gpt2">): string {
  const speed = r.timings.tokensPerS != null ? `; ${r.timings.tokensPerS.toFixed(1)} tokens/s` : "";
  return `After “${r.prompt}”: next token ${showToken(r.nextToken)} (${formatPercent(r.probability)})${speed}, ${where(r)}.`;
}

function meshText(r: Of<"mesh">): string {
  const verdict = r.ok ? "same answer as NumPy" : "WRONG answer";
  return `${r.rows}×${r.cols} mesh (axes ${r.axisNames.join(", ")}) over ${plural(r.rows * r.cols, "device")}, ${verdict}, ${where(r)}.`;
}

function cnnText(r: Of<"cnn">): string {
  return `Test accuracy ${formatPercent(r.testAccuracy)} after ${plural(r.epochs, "epoch")} on ${r.dataset}, ${where(r)}.`;
}

/**
 * Values the lesson's own cells print, read back only when the line is there as printed (an edited
 * cell that prints something else just says that it passed).
 */
const PRINTED: Partial<Record<SummaryKind, (stdout: string) => string | undefined>> = {
  // print(z, z.devices()): "32.0 {CpuDevice(id=0)}"
  sanity: (out) => {
    const m = /^(-?\d+(?:\.\d+)?) \{(.+)\}$/m.exec(out);
    return m ? `dot product ${m[1]} on ${m[2]}` : undefined;
  },
  // print(y.sharding): "NamedSharding(mesh=Mesh('data': 1, 'model': 2, ...), ...)"
  mesh: (out) => {
    const mesh = /\bMesh\(([^)]*)/.exec(out)?.[1] ?? "";
    const axes = [...mesh.matchAll(/'(\w+)': (\d+)/g)];
    if (!axes.length) return undefined;
    return `${axes.map((a) => a[2]).join("×")} mesh (axes ${axes.map((a) => a[1]).join(", ")})`;
  },
  // print(f"held-out accuracy {accuracy:.3f}, computed on {platform}")
  cnn: (out) => {
    const m = /held-out accuracy (\d+(?:\.\d+)?), computed on (\S+)/.exec(out);
    return m ? `held-out accuracy ${formatPercent(Number(m[1]))}, computed on platform "${m[2]}"` : undefined;
  },
};

function cellText({ kind, cell, stdout }: CellPass["cellPass"]): string {
  const printed = PRINTED[kind]?.(stdout);
  const ran = `Your cell ${cell + 1} ran and passed the lesson's check`;
  return printed ? `${ran}: ${printed}.` : `${ran}.`;
}

function text(r: RunResult | CellPass): string | undefined {
  if ("cellPass" in r) return cellText(r.cellPass);
  switch (r.kind) {
    case "doctor":
      return doctorText(r);
    case "install":
      return installText(r);
    case "sanity":
      return sanityText(r);
    case "gpt2":
      return gpt2Text(r);
    case "mesh":
      return meshText(r);
    case "cnn":
      return cnnText(r);
    default:
      return undefined;
  }
}

/**
 * The summary's lines from `results` (step results and passed cells), oldest first: the last
 * result of each kind wins.
 */
export function summaryLines(results: readonly (RunResult | CellPass)[]): SummaryLine[] {
  const last = new Map<string, string>();
  for (const r of results) {
    const t = text(r);
    const kind = "cellPass" in r ? r.cellPass.kind : r.kind;
    if (kind && t !== undefined) last.set(kind, t);
  }
  return SUMMARY_KINDS.map((kind) => {
    const t = last.get(kind);
    return { kind, label: LABELS[kind], text: t ?? "not run yet", ran: t !== undefined };
  });
}
