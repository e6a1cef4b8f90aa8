// Drawings for run results: the top-k bar chart, the device mesh and the live loss curve (both
// charts with labelled axes and tick values; colours from the theme, in style.css). Built
// with DOM calls only (no innerHTML, no inline style attributes: the CSP forbids them; CSSOM
// property writes are allowed).
import type { ShardPlacement, TokenProb } from "../backend/protocol";
import { formatPercent, showToken } from "../shared/format";

const SVG = "http://www.w3.org/2000/svg";

export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Probability axis of the top-k chart: the bars' widths are absolute (0-100%), not scaled. */
export const TOPK_TICKS: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

/**
 * A captioned bar chart: one `.tt-bar` per token (its label, a bar as wide as its probability, its
 * value), column headings, and a probability axis with tick values under the bars.
 */
export function topKChart(doc: Document, topK: TokenProb[]): HTMLElement {
  const box = el(doc, "figure", "tt-topk");
  box.append(el(doc, "figcaption", "tt-chart-title", `Top ${topK.length} next tokens by probability`));
  const head = el(doc, "div", "tt-bar-head");
  head.setAttribute("aria-hidden", "true"); // each row's own text already says all of it
  head.append(
    el(doc, "span", "tt-axis-title", "token"),
    el(doc, "span", "tt-axis-title", "probability"),
    el(doc, "span", "tt-axis-title tt-bar-value", "value"),
  );
  const list = el(doc, "div", "tt-bar-list");
  list.setAttribute("role", "list");
  for (const t of topK) {
    const row = el(doc, "div", "tt-bar");
    row.setAttribute("role", "listitem");
    row.dataset.token = t.token;
    row.dataset.probability = String(t.probability);
    const fill = el(doc, "span", "tt-bar-fill");
    fill.style.width = `${Math.max(0, Math.min(1, t.probability)) * 100}%`;
    const track = el(doc, "span", "tt-bar-track");
    track.append(fill);
    row.append(
      el(doc, "span", "tt-bar-label", showToken(t.token)),
      track,
      el(doc, "span", "tt-bar-value", formatPercent(t.probability)),
    );
    list.append(row);
  }
  const axis = el(doc, "div", "tt-bar-axis");
  axis.setAttribute("aria-hidden", "true");
  const scale = el(doc, "span", "tt-bar-scale");
  for (const p of TOPK_TICKS) {
    const tick = el(doc, "span", "tt-tick", `${Math.round(p * 100)}%`);
    tick.dataset.value = String(p);
    tick.style.left = `${p * 100}%`;
    scale.append(tick);
  }
  axis.append(el(doc, "span"), scale, el(doc, "span"));
  box.append(head, list, axis);
  return box;
}

/** rows x cols cells, each named by device and coloured by the shard it holds. */
export function meshGrid(doc: Document, rows: number, cols: number, shards: ShardPlacement[]): HTMLElement {
  const grid = el(doc, "div", "tt-mesh-grid");
  grid.style.gridTemplateColumns = `repeat(${cols}, minmax(4em, 1fr))`;
  const distinct = [...new Set(shards.map((s) => s.index))];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const shard = shards.find((s) => s.row === r && s.col === c);
      const cell = el(doc, "div", "tt-mesh-cell");
      if (shard) {
        const n = distinct.indexOf(shard.index);
        cell.dataset.deviceId = String(shard.deviceId);
        cell.dataset.shard = String(n);
        // 30% lightness: white text stays above WCAG's 4.5:1 for every hue (yellow at 40% did not).
        cell.style.backgroundColor = `hsl(${Math.round((360 * n) / Math.max(1, distinct.length))} 55% 30%)`;
        cell.title = `device ${shard.deviceId} holds ${shard.index}`;
        cell.append(el(doc, "strong", undefined, `dev ${shard.deviceId}`), el(doc, "code", undefined, shard.index));
      } else {
        cell.textContent = "—";
      }
      grid.append(cell);
    }
  }
  return grid;
}

/**
 * Up to about `count` round tick values (steps of 1, 2 or 5 times a power of ten) from `lo` to
 * the first tick at or above `hi`; `integer` keeps them whole (epochs).
 */
export function niceTicks(lo: number, hi: number, count: number, integer = false): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let v = first; v < hi + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** A tick value as text: no more decimals than the step between ticks needs. */
export function tickLabel(value: number, step: number): string {
  const decimals = step >= 1 || step <= 0 ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
  return value.toFixed(decimals);
}

// The loss curve's box (viewBox units) and the margins that hold the axes and their labels.
const BOX = { w: 320, h: 180, left: 46, right: 14, top: 12, bottom: 38 };

export function lossCurve(doc: Document): SVGSVGElement {
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("class", "tt-loss-curve");
  svg.setAttribute("viewBox", `0 0 ${BOX.w} ${BOX.h}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "training loss per epoch");
  const axes = doc.createElementNS(SVG, "g");
  axes.setAttribute("class", "tt-axes");
  const line = doc.createElementNS(SVG, "polyline");
  line.setAttribute("class", "tt-loss-line");
  line.setAttribute("fill", "none");
  svg.append(axes, line);
  return svg;
}

function svgEl(svg: SVGSVGElement, tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = svg.ownerDocument.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Redraws the curve for `losses` (one per epoch so far): the line, a dot per epoch (its value in a
 * tooltip), the last value written by its dot, and both axes with ticks, values and titles.
 */
export function drawLoss(svg: SVGSVGElement, losses: number[]): void {
  const line = svg.querySelector("polyline");
  const axes = svg.querySelector("g.tt-axes");
  if (!line || !axes) return;
  axes.replaceChildren();
  svg.querySelectorAll("circle, text.tt-point-value").forEach((c) => c.remove());
  svg.dataset.points = String(losses.length);
  if (!losses.length) {
    line.setAttribute("points", "");
    return;
  }
  const x0 = BOX.left;
  const x1 = BOX.w - BOX.right;
  const y0 = BOX.h - BOX.bottom; // the x axis (loss 0 at the bottom)
  const y1 = BOX.top;
  const yTicks = niceTicks(0, Math.max(...losses, 1e-9), 4);
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const yStep = (yTicks[1] ?? yMax) - (yTicks[0] ?? 0);
  const last = losses.length;
  const xOf = (epoch: number): number => (last > 1 ? x0 + ((epoch - 1) / (last - 1)) * (x1 - x0) : x0);
  const yOf = (loss: number): number => y0 - (Math.max(0, loss) / (yMax || 1)) * (y0 - y1);

  axes.append(svgEl(svg, "line", { class: "tt-axis-line", x1: x0, y1: y0, x2: x1, y2: y0 }));
  axes.append(svgEl(svg, "line", { class: "tt-axis-line", x1: x0, y1: y0, x2: x0, y2: y1 }));
  for (const v of yTicks) {
    const y = yOf(v);
    axes.append(svgEl(svg, "line", { class: "tt-grid-line", x1: x0, y1: y, x2: x1, y2: y }));
    axes.append(
      svgEl(
        svg,
        "text",
        { class: "tt-tick-label tt-y-tick", x: x0 - 5, y: y + 3, "text-anchor": "end" },
        tickLabel(v, yStep),
      ),
    );
  }
  // Every epoch up to ten (the lesson trains eight); beyond that, round steps.
  const epochs =
    last <= 10 ? losses.map((_, i) => i + 1) : niceTicks(1, last, 6, true).filter((e) => e >= 1 && e <= last);
  for (const e of epochs) {
    const x = xOf(e);
    axes.append(svgEl(svg, "line", { class: "tt-axis-line", x1: x, y1: y0, x2: x, y2: y0 + 4 }));
    axes.append(
      svgEl(svg, "text", { class: "tt-tick-label tt-x-tick", x, y: y0 + 15, "text-anchor": "middle" }, String(e)),
    );
  }
  axes.append(
    svgEl(svg, "text", { class: "tt-axis-title", x: (x0 + x1) / 2, y: BOX.h - 4, "text-anchor": "middle" }, "epoch"),
  );
  axes.append(
    svgEl(
      svg,
      "text",
      {
        class: "tt-axis-title",
        x: 0,
        y: 0,
        "text-anchor": "middle",
        transform: `translate(11 ${(y0 + y1) / 2}) rotate(-90)`,
      },
      "loss",
    ),
  );

  const points = losses.map((l, i) => [xOf(i + 1), yOf(l)] as const);
  line.setAttribute("points", points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" "));
  points.forEach(([x, y], i) => {
    const dot = svgEl(svg, "circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 2.5 });
    dot.append(svgEl(svg, "title", {}, `epoch ${i + 1}: loss ${(losses[i] ?? 0).toFixed(4)}`));
    svg.append(dot);
  });
  const [lx, ly] = points[points.length - 1] ?? [x0, y0];
  const lastLoss = losses[losses.length - 1] ?? 0;
  svg.append(
    svgEl(
      svg,
      "text",
      { class: "tt-point-value", x: Math.min(lx, x1 - 2), y: Math.max(ly - 6, y1 + 8), "text-anchor": "end" },
      lastLoss.toFixed(3),
    ),
  );
}
