// Drawings for run results: the top-k bar chart, the device mesh and the live loss curve. Built
// with DOM calls only (no innerHTML, no inline style attributes: the CSP forbids them; CSSOM
// property writes are allowed).
import type { ShardPlacement, TokenProb } from "../backend/protocol";
import { formatPercent, showToken } from "./format";

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

/** One `.tt-bar` per token, width proportional to its probability. */
export function topKChart(doc: Document, topK: TokenProb[]): HTMLElement {
  const box = el(doc, "div", "tt-topk");
  box.setAttribute("role", "list");
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
    box.append(row);
  }
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
        cell.style.backgroundColor = `hsl(${Math.round((360 * n) / Math.max(1, distinct.length))} 55% 40%)`;
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

export function lossCurve(doc: Document): SVGSVGElement {
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("class", "tt-loss-curve");
  svg.setAttribute("viewBox", "0 0 300 120");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "training loss per epoch");
  const line = doc.createElementNS(SVG, "polyline");
  line.setAttribute("class", "tt-loss-line");
  line.setAttribute("fill", "none");
  svg.append(line);
  return svg;
}

/** Redraws the curve for `losses` (one per epoch so far), scaled to the box. */
export function drawLoss(svg: SVGSVGElement, losses: number[]): void {
  const line = svg.querySelector("polyline");
  if (!line) return;
  const w = 300;
  const h = 120;
  const pad = 8;
  const max = Math.max(...losses, 1e-9);
  const min = Math.min(...losses, 0);
  const span = max - min || 1;
  const step = losses.length > 1 ? (w - 2 * pad) / (losses.length - 1) : 0;
  const points = losses.map(
    (l, i) => `${(pad + i * step).toFixed(1)},${(h - pad - ((l - min) / span) * (h - 2 * pad)).toFixed(1)}`,
  );
  line.setAttribute("points", points.join(" "));
  svg.dataset.points = String(losses.length);
  svg.querySelectorAll("circle").forEach((c) => c.remove());
  for (const p of points) {
    const [x, y] = p.split(",");
    const dot = svg.ownerDocument.createElementNS(SVG, "circle");
    dot.setAttribute("cx", x ?? "0");
    dot.setAttribute("cy", y ?? "0");
    dot.setAttribute("r", "2.5");
    svg.append(dot);
  }
}
