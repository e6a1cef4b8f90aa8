// Result renderers: turn a run's `result` (and its live token/epoch events) into DOM inside
// `.tt-result`. Pure builders over a Document, so they run in jsdom in the unit tests.
import type {
  CnnResult,
  DemoResult,
  DoctorResult,
  EpochEvent,
  InstallResult,
  LessonRunResult,
  MeshResult,
  ResultEvent,
  SanityResult,
  TokenEvent,
} from "../backend/protocol";
import { KERNEL_CPU_DEVICES } from "../backend/routes.generated";
import { drawLoss, el, lossCurve, meshGrid, topKChart } from "./charts";
import { formatClock, formatDuration, formatFloat, formatPercent, showToken } from "../shared/format";
import { findingChanges } from "../shared/verdict";

export type RunResult = ResultEvent["result"];

function ranOn(doc: Document, ttDevice: boolean, platform: string): HTMLElement {
  const text = ttDevice
    ? `Ran on a Tenstorrent device (platform "${platform}").`
    : `Ran on the CPU (platform "${platform}"): no Tenstorrent device was used.`;
  const p = el(doc, "p", `tt-ran-on ${ttDevice ? "tt-on-tt" : "tt-on-cpu"}`, text);
  p.dataset.ttDevice = String(ttDevice);
  return p;
}

function table(doc: Document, cls: string, label: string, head: string[], rows: string[][]): HTMLTableElement {
  const t = el(doc, "table", cls);
  t.setAttribute("aria-label", label); // screen readers name the table, not only its cells
  const thead = el(doc, "thead");
  const hr = el(doc, "tr");
  for (const h of head) {
    const th = el(doc, "th", undefined, h);
    th.scope = "col";
    hr.append(th);
  }
  thead.append(hr);
  const tbody = el(doc, "tbody");
  for (const r of rows) {
    const tr = el(doc, "tr");
    for (const c of r) tr.append(el(doc, "td", undefined, c));
    tbody.append(tr);
  }
  t.append(thead, tbody);
  return t;
}

/** "Board: T3K (n300-llmbox), 8 Wormhole chips", as the backend named it; none on the CPU. */
function boardLine(doc: Document, board: string | null | undefined): HTMLElement[] {
  return board ? [el(doc, "p", "tt-board", `Board: ${board}`)] : [];
}

export function renderSanity(doc: Document, r: SanityResult): HTMLElement {
  const box = el(doc, "div", "tt-sanity");
  box.append(...boardLine(doc, r.board));
  box.append(
    table(
      doc,
      "tt-devices",
      "Devices JAX sees",
      ["id", "platform", "kind", "architecture"],
      // A TT chip names its architecture (TTDevice(id=0, arch=Wormhole_b0)); CPU devices do not.
      r.devices.map((d) => [String(d.id), d.platform, d.kind, d.arch ?? "—"]),
    ),
  );
  const value = el(doc, "p", "tt-value-line", "Dot product = ");
  value.append(el(doc, "code", "tt-value", formatFloat(r.value)));
  value.append(` (expected ${formatFloat(r.expected)}: ${r.ok ? "correct" : "WRONG"})`);
  box.append(value, ranOn(doc, r.ttDevice, r.platform));
  const cpus = r.devices.filter((d) => d.platform === "cpu").length;
  if (!r.ttDevice) box.append(el(doc, "p", "tt-cpu-devices", cpuDevicesNote(cpus)));
  box.append(
    el(
      doc,
      "p",
      "tt-meta",
      `JAX ${r.jaxVersion}; result on ${r.resultDevice}; import ${formatDuration(r.timings.importS)}, compute ${formatDuration(r.timings.computeS)}`,
    ),
  );
  return box;
}

/**
 * Why this table shows fewer CPU devices than a lesson cell lists: the check runs with JAX's plain
 * CPU device, while the lesson's kernel splits the CPU into several for the mesh examples.
 */
export function cpuDevicesNote(seen: number): string {
  const devices = `${seen} CPU device${seen === 1 ? "" : "s"}`;
  return (
    `This check sees ${devices}: it runs with JAX's plain CPU device. The lesson's cells run in a ` +
    `kernel that splits the CPU into ${KERNEL_CPU_DEVICES} devices so the mesh examples have ` +
    `devices to shard over, which is why a cell lists ${KERNEL_CPU_DEVICES} CpuDevices.`
  );
}

/** The GPT-2 box; created on the first streamed token or on the result, whichever comes first. */
export function gpt2Box(container: HTMLElement): HTMLElement {
  const existing = container.querySelector<HTMLElement>(".tt-gpt2");
  if (existing) return existing;
  const doc = container.ownerDocument;
  const box = el(doc, "div", "tt-gpt2");
  const gen = el(doc, "p", "tt-generated-line", "Generated: ");
  gen.append(el(doc, "span", "tt-generated"));
  box.append(gen);
  container.append(box);
  return box;
}

export function appendToken(container: HTMLElement, t: TokenEvent): void {
  const gen = gpt2Box(container).querySelector(".tt-generated");
  const span = container.ownerDocument.createElement("span");
  span.className = "tt-token";
  span.dataset.index = String(t.index);
  span.title = `${formatPercent(t.probability)}`;
  span.textContent = t.token;
  gen?.append(span);
}

export function renderDemo(container: HTMLElement, r: DemoResult): void {
  const doc = container.ownerDocument;
  const box = gpt2Box(container);
  const line = el(doc, "p", "tt-prediction");
  line.append(
    el(doc, "span", undefined, `“${r.prompt}” → next token `),
    el(doc, "code", "tt-next-token", showToken(r.nextToken)),
  );
  line.append(" with probability ", el(doc, "span", "tt-probability", formatPercent(r.probability)));
  box.prepend(line);
  line.after(topKChart(doc, r.topK));
  const gen = box.querySelector(".tt-generated");
  if (gen && !gen.childElementCount && r.generated) gen.textContent = r.generated;
  if (!r.generated && gen?.parentElement && !gen.childElementCount) gen.parentElement.remove();
  box.append(ranOn(doc, r.ttDevice, r.platform));
  const t = r.timings;
  const speed = demoSpeed(r);
  if (speed) box.append(el(doc, "p", "tt-speed", speed));
  const drawn = demoSampling(r);
  if (drawn) box.append(el(doc, "p", "tt-sampling", drawn));
  box.append(
    el(
      doc,
      "p",
      "tt-meta",
      `${r.model === r.modelSource ? r.model : `${r.model} from ${r.modelSource}`}; ${demoPrep(r)}, first token ${formatDuration(t.firstTokenS)}`,
    ),
  );
}

/** Load and compile times, and what of them was done ahead by the interpreter started after the last run. */
export function demoPrep(r: DemoResult): string {
  const t = r.timings;
  const ahead = " (prepared ahead)";
  const load = `load ${formatDuration(t.loadS)}${r.preparedAhead ? ahead : ""}`;
  const how = r.preparedAhead === "weights-and-programs" ? ahead : r.cacheHit ? " (cached)" : "";
  return `${load}, compile ${formatDuration(t.compileS)}${how}`;
}

/** How the generated tokens were drawn: the sampling settings, or greedy; "" when none were generated. */
export function demoSampling(r: DemoResult): string {
  const s = r.sampling;
  if (!s) return r.generated ? "Greedy: the most likely token each time (temperature 0)." : "";
  const topK = s.topK ? `top-k ${s.topK}` : "no top-k cut";
  const topP = s.topP < 1 ? `top-p ${s.topP}` : "no top-p cut";
  return `Sampled at temperature ${s.temperature}, ${topK}, ${topP}, seed ${s.seed}.`;
}

/** How fast the prompt and the generation went, in words; "" when the run reported neither. */
export function demoSpeed(r: DemoResult): string {
  const t = r.timings;
  const parts: string[] = [];
  if (t.prefillS != null) {
    const prompt = r.promptTokens != null ? `${r.promptTokens}-token prompt` : "Prompt";
    // A prefill takes milliseconds on most machines: seconds would round it to "0.0 s".
    const took = t.prefillS < 1 ? `${Math.round(t.prefillS * 1000)} ms` : formatDuration(t.prefillS);
    parts.push(`${prompt} read in ${took} (prefill)`);
  }
  if (t.tokensPerS != null) {
    const after = t.decodeTokensPerS != null ? ` (${t.decodeTokensPerS.toFixed(1)} after the first)` : "";
    parts.push(`generated ${t.tokensPerS.toFixed(1)} tokens/s${after}`);
  }
  if (r.stopReason === "end-of-text") parts.push("stopped at end-of-text");
  return parts.length ? `${parts.join("; ")}.` : "";
}

export function renderMesh(doc: Document, r: MeshResult): HTMLElement {
  const box = el(doc, "div", "tt-mesh");
  box.append(
    el(
      doc,
      "p",
      undefined,
      `Mesh ${r.rows}×${r.cols} with axes (${r.axisNames.join(", ")}); max error vs. NumPy ${r.maxAbsError.toExponential(2)}: ${r.ok ? "correct" : "WRONG"}`,
    ),
  );
  const grid = meshGrid(doc, r.rows, r.cols, r.shards);
  grid.setAttribute("role", "list");
  grid.setAttribute("aria-label", `Which shard each of the ${r.rows * r.cols} devices holds`);
  // Each cell is reachable by keyboard and read out with what its tooltip says.
  for (const cell of grid.querySelectorAll<HTMLElement>(".tt-mesh-cell")) {
    cell.setAttribute("role", "listitem");
    cell.tabIndex = 0;
    cell.setAttribute("aria-label", cell.title || "no device");
  }
  box.append(...boardLine(doc, r.board), grid, ranOn(doc, r.ttDevice, r.platform));
  return box;
}

/** The CNN box with its loss curve; epochs draw into it as they stream in. */
export function cnnBox(container: HTMLElement): HTMLElement {
  const existing = container.querySelector<HTMLElement>(".tt-cnn");
  if (existing) return existing;
  const doc = container.ownerDocument;
  const box = el(doc, "div", "tt-cnn");
  box.append(lossCurve(doc), el(doc, "p", "tt-epoch-line"), el(doc, "p", "tt-accuracy"));
  container.append(box);
  return box;
}

export function addEpoch(container: HTMLElement, e: EpochEvent, losses: number[]): void {
  const box = cnnBox(container);
  const svg = box.querySelector<SVGSVGElement>("svg.tt-loss-curve");
  if (svg) drawLoss(svg, losses);
  const line = box.querySelector(".tt-epoch-line");
  if (line)
    line.textContent = `epoch ${e.epoch}: loss ${e.loss.toFixed(4)}${e.accuracy == null ? "" : `, accuracy ${formatPercent(e.accuracy)}`}`;
}

export function renderCnn(container: HTMLElement, r: CnnResult): void {
  const box = cnnBox(container);
  const svg = box.querySelector<SVGSVGElement>("svg.tt-loss-curve");
  if (svg && r.losses.length) drawLoss(svg, r.losses);
  const acc = box.querySelector(".tt-accuracy");
  if (acc)
    acc.textContent = `Test accuracy after ${r.epochs} epochs on ${r.dataset}: ${formatPercent(r.testAccuracy)} (training took ${formatDuration(r.trainS)})`;
  box.append(ranOn(container.ownerDocument, r.ttDevice, r.platform));
}

/**
 * When this check ran and, after an earlier one on the same step (a "Check again" button), which
 * findings changed status: a re-run that looks the same must still show that it ran.
 */
export function renderDoctorCheck(doc: Document, r: DoctorResult, previous: DoctorResult | undefined): HTMLElement {
  const box = el(doc, "div", "tt-doctor-check");
  const at = (x: DoctorResult): string => (x.checkedAt ? ` at ${formatClock(x.checkedAt)}` : "");
  box.append(el(doc, "p", "tt-doctor-checked", r.checkedAt ? `Checked${at(r)}.` : "Checked."));
  if (!previous) return box;
  const changes = findingChanges(previous, r);
  if (!changes.length) {
    box.append(el(doc, "p", "tt-doctor-unchanged", `Nothing changed since the check${at(previous)}.`));
    return box;
  }
  box.append(el(doc, "p", "tt-doctor-changed", `Changed since the check${at(previous)}:`));
  const list = el(doc, "ul", "tt-doctor-changes");
  const word = (s: string | undefined): string => (s ? s.toUpperCase() : "—");
  for (const c of changes) {
    const what = c.to === undefined ? " (no longer checked)" : c.from === undefined ? " (new)" : "";
    const li = el(doc, "li", undefined, `${c.title}: ${word(c.from)} → ${word(c.to)}${what}`);
    li.dataset.id = c.id;
    list.append(li);
  }
  box.append(list);
  return box;
}

/** Findings with fix buttons; only commands in `allowed` get a button, others show as text. */
export function renderDoctor(doc: Document, r: DoctorResult, allowed: ReadonlySet<string>): HTMLElement {
  const list = el(doc, "ul", "tt-findings");
  for (const f of r.findings) {
    const li = el(doc, "li", `tt-finding tt-finding-${f.status}`);
    li.dataset.status = f.status;
    li.dataset.id = f.id;
    li.append(el(doc, "span", "tt-finding-status", f.status.toUpperCase()), el(doc, "strong", undefined, f.title));
    if (f.detail) li.append(el(doc, "div", "tt-finding-detail", f.detail));
    if (f.fix) {
      if (allowed.has(f.fix.command)) {
        const b = el(doc, "button", "tt-fix", f.fix.label);
        b.type = "button";
        b.dataset.command = f.fix.command;
        // The fix's arguments (e.g. reinstall) travel with the click; the host checks them again.
        if (f.fix.args && Object.keys(f.fix.args).length) b.dataset.args = JSON.stringify(f.fix.args);
        li.append(b);
      } else {
        li.append(el(doc, "div", "tt-fix-text", f.fix.label));
      }
      if (f.fix.argv?.length) li.append(el(doc, "code", "tt-fix-argv", f.fix.argv.join(" ")));
    }
    list.append(li);
  }
  return list;
}

export function renderInstall(doc: Document, r: InstallResult): HTMLElement {
  const box = el(doc, "div", "tt-install");
  box.append(
    el(
      doc,
      "p",
      undefined,
      `${r.repaired ? "Updated" : "Created"} ${r.venv} with ${r.installer}${r.cpuOnly ? " (CPU only: no pjrt-plugin-tt)" : ""}.`,
    ),
  );
  box.append(
    table(
      doc,
      "tt-packages",
      "Installed packages",
      ["package", "version"],
      Object.entries(r.packages).map(([k, v]) => [k, v]),
    ),
  );
  return box;
}

/** A whole-lesson run: the verdict, then each step and cell with its check (failures, hint). */
export function renderLessonRun(doc: Document, r: LessonRunResult): HTMLElement {
  const box = el(doc, "div", "tt-lesson-run");
  const failed = r.items.filter((i) => i.status === "failed").length;
  const verdict = r.passed ? "Every check passed." : `${failed} of ${r.items.length} failed.`;
  box.append(el(doc, "p", undefined, verdict + (r.report ? ` Report: ${r.report}` : "")));
  const why = (i: LessonRunResult["items"][number]): string =>
    [...(i.check.failures ?? []), ...(i.check.hint && i.status === "failed" ? [`hint: ${i.check.hint}`] : [])].join(
      "; ",
    ) ||
    i.summary.split("\n").at(-1) ||
    "";
  const rows = r.items.map((i) => [String(i.line), i.title, i.status, i.check.status, why(i)]);
  box.append(table(doc, "tt-lesson-items", "Steps and cells", ["line", "item", "status", "check", "detail"], rows));
  return box;
}

/**
 * Renders any result into `container` (the panel's `.tt-result`); `previous` is the step's result
 * before this run, which a doctor check is compared with.
 */
export function renderResult(
  container: HTMLElement,
  r: RunResult,
  allowed: ReadonlySet<string>,
  previous?: RunResult,
): void {
  const doc = container.ownerDocument;
  switch (r.kind) {
    case "sanity":
      container.append(renderSanity(doc, r));
      break;
    case "gpt2":
      renderDemo(container, r);
      break;
    case "mesh":
      container.append(renderMesh(doc, r));
      break;
    case "cnn":
      renderCnn(container, r);
      break;
    case "doctor":
      container.append(
        renderDoctorCheck(doc, r, previous?.kind === "doctor" ? previous : undefined),
        renderDoctor(doc, r, allowed),
      );
      break;
    case "install":
      container.append(renderInstall(doc, r));
      break;
    case "lesson":
      container.append(renderLessonRun(doc, r));
      break;
    default:
      container.append(el(doc, "pre", undefined, JSON.stringify(r, null, 2)));
  }
}
