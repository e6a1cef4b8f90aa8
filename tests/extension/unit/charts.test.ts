// @vitest-environment jsdom
// The result charts a person reads: the top-k bars and the CNN loss curve carry axes, tick values
// and each value, and take their colours from the theme (style.css), never from inline styles.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drawLoss, lossCurve, niceTicks, tickLabel, topKChart, TOPK_TICKS } from "../../../extension/webview/charts";

const texts = (root: Element, sel: string): string[] => [...root.querySelectorAll(sel)].map((e) => e.textContent ?? "");

describe("niceTicks", () => {
  it("steps by 1, 2 or 5 times a power of ten and covers the top value", () => {
    expect(niceTicks(0, 2, 4)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(0, 2.3, 4)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 0.037, 4)).toEqual([0, 0.01, 0.02, 0.03, 0.04]);
    expect(niceTicks(1, 40, 6, true)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(1, 3, 6, true)).toEqual([1, 2, 3]);
    expect(niceTicks(5, 5, 4)).toEqual([5]); // no span: one tick, no endless loop
  });

  it("labels ticks with the decimals their step needs", () => {
    expect([0, 0.5, 1].map((v) => tickLabel(v, 0.5))).toEqual(["0.0", "0.5", "1.0"]);
    expect(tickLabel(0.04, 0.01)).toBe("0.04");
    expect(tickLabel(20, 10)).toBe("20");
  });
});

describe("topKChart", () => {
  const chart = topKChart(document, [
    { token: " Paris", tokenId: 6342, probability: 0.4 },
    { token: " the", tokenId: 262, probability: 0.1 },
    { token: " a", tokenId: 257, probability: 0.005 },
  ]);

  it("has a title, column headings and each bar's value", () => {
    expect(chart.querySelector("figcaption")?.textContent).toBe("Top 3 next tokens by probability");
    expect(texts(chart, ".tt-bar-head .tt-axis-title")).toEqual(["token", "probability", "value"]);
    expect(texts(chart, ".tt-bar .tt-bar-label")).toEqual(["␣Paris", "␣the", "␣a"]);
    expect(texts(chart, ".tt-bar .tt-bar-value")).toEqual(["40.0%", "10.0%", "0.50%"]);
    const widths = [...chart.querySelectorAll<HTMLElement>(".tt-bar-fill")].map((f) => f.style.width);
    expect(widths).toEqual(["40%", "10%", "0.5%"]);
  });

  it("has a probability axis whose ticks sit where the bars of those values end", () => {
    const ticks = [...chart.querySelectorAll<HTMLElement>(".tt-bar-axis .tt-tick")];
    expect(ticks.map((t) => t.textContent)).toEqual(["0%", "25%", "50%", "75%", "100%"]);
    expect(ticks.map((t) => t.style.left)).toEqual(TOPK_TICKS.map((p) => `${p * 100}%`));
    // The axis row is for the eye: screen readers get each bar's own text instead.
    expect(chart.querySelector(".tt-bar-axis")?.getAttribute("aria-hidden")).toBe("true");
    expect(chart.querySelectorAll('[role="listitem"]')).toHaveLength(3);
  });
});

describe("loss curve", () => {
  it("draws labelled axes with tick values, a dot per epoch and the last value", () => {
    const svg = lossCurve(document);
    drawLoss(svg, [2, 1, 0.5]);
    const titles = texts(svg, ".tt-axis-title");
    expect(titles).toEqual(["epoch", "loss"]);
    expect(texts(svg, ".tt-y-tick")).toEqual(["0.0", "0.5", "1.0", "1.5", "2.0"]);
    expect(texts(svg, ".tt-x-tick")).toEqual(["1", "2", "3"]);
    expect(texts(svg, "circle title")).toEqual([
      "epoch 1: loss 2.0000",
      "epoch 2: loss 1.0000",
      "epoch 3: loss 0.5000",
    ]);
    expect(texts(svg, ".tt-point-value")).toEqual(["0.500"]);
  });

  it("puts each point at its tick: loss 2 level with the 2.0 tick, loss 0.5 with 0.5", () => {
    const svg = lossCurve(document);
    drawLoss(svg, [2, 1, 0.5]);
    const tickY = new Map(
      [...svg.querySelectorAll(".tt-y-tick")].map((t) => [t.textContent, Number(t.getAttribute("y")) - 3]),
    );
    const dots = [...svg.querySelectorAll("circle")].map((c) => Number(c.getAttribute("cy")));
    expect(dots[0]).toBeCloseTo(tickY.get("2.0")!, 1);
    expect(dots[2]).toBeCloseTo(tickY.get("0.5")!, 1);
    const xs = [...svg.querySelectorAll("circle")].map((c) => Number(c.getAttribute("cx")));
    const tickX = [...svg.querySelectorAll(".tt-x-tick")].map((t) => Number(t.getAttribute("x")));
    xs.forEach((x, i) => expect(x).toBeCloseTo(tickX[i]!, 1));
  });

  it("redraws without leftovers as epochs stream in, and labels every epoch up to ten", () => {
    const svg = lossCurve(document);
    drawLoss(svg, [1]);
    drawLoss(svg, [1, 0.8]);
    const losses = Array.from({ length: 8 }, (_, i) => 1 / (i + 1));
    drawLoss(svg, losses);
    expect(svg.querySelectorAll("circle")).toHaveLength(8);
    expect(svg.querySelectorAll(".tt-point-value")).toHaveLength(1);
    expect(texts(svg, ".tt-x-tick")).toEqual(["1", "2", "3", "4", "5", "6", "7", "8"]);
    expect(texts(svg, ".tt-axis-title")).toEqual(["epoch", "loss"]);
    drawLoss(
      svg,
      Array.from({ length: 40 }, () => 0.1),
    );
    expect(texts(svg, ".tt-x-tick")).toEqual(["10", "20", "30", "40"]);
  });

  it("uses no inline style attribute (the page's CSP forbids them)", () => {
    const svg = lossCurve(document);
    drawLoss(svg, [3, 2]);
    expect(svg.querySelector("[style]")).toBeNull();
  });
});

describe("chart colours", () => {
  const css = readFileSync(join(__dirname, "..", "..", "..", "extension", "webview", "style.css"), "utf8");

  it("come from VS Code's theme variables, with a high-contrast variant", () => {
    for (const rule of [
      "svg.tt-loss-curve text",
      "svg.tt-loss-curve .tt-axis-line",
      ".tt-bar-scale .tt-tick::before",
    ]) {
      const body = css.slice(css.indexOf(`${rule} {`), css.indexOf("}", css.indexOf(`${rule} {`)));
      expect(body, rule).toMatch(/var\(--vscode-charts-(foreground|lines)/);
      expect(body, rule).not.toMatch(/#[0-9a-f]{3,6}\b|rgb\(/i);
    }
    expect(css).toMatch(/body\[class\*="vscode-high-contrast"\] svg\.tt-loss-curve \.tt-axis-line/);
  });
});
