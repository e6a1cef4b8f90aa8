// @vitest-environment jsdom
// The GPT-2 result says how fast the prompt was read (prefill) and how fast tokens came.
import { describe, expect, it } from "vitest";
import type { DemoResult } from "../../../extension/backend/protocol";
import { demoPrep, demoSampling, demoSpeed, renderDemo } from "../../../extension/webview/results";

function demo(over: Partial<DemoResult> = {}, timings: Partial<DemoResult["timings"]> = {}): DemoResult {
  return {
    kind: "gpt2",
    model: "gpt2",
    modelSource: "gpt2",
    prompt: "The capital of France is",
    nextToken: " Paris",
    probability: 0.4,
    topK: [{ token: " Paris", tokenId: 6342, probability: 0.4 }],
    generated: " Paris.",
    platform: "cpu",
    ttDevice: false,
    cacheHit: true,
    ...over,
    timings: { loadS: 1, compileS: 0.5, firstTokenS: 0.05, ...timings },
  };
}

describe("demoSpeed", () => {
  it("names the prompt length, the prefill time and both token rates", () => {
    const r = demo({ promptTokens: 5 }, { prefillS: 0.0404, tokensPerS: 31.25, decodeTokensPerS: 33.5 });
    expect(demoSpeed(r)).toBe(
      "5-token prompt read in 40 ms (prefill); generated 31.3 tokens/s (33.5 after the first).",
    );
  });

  it("keeps seconds for a long prefill and says when generation stopped at end-of-text", () => {
    const r = demo({ promptTokens: 900, stopReason: "end-of-text" }, { prefillS: 2.5, tokensPerS: 4 });
    expect(demoSpeed(r)).toBe(
      "900-token prompt read in 2.5 s (prefill); generated 4.0 tokens/s; stopped at end-of-text.",
    );
  });

  it("says nothing for a result from before prefill timings existed", () => {
    expect(demoSpeed(demo())).toBe("");
  });
});

describe("demoSampling", () => {
  it("names a sampled run's temperature, top-k, top-p and seed; a greedy run says so", () => {
    const sampled = demo({ sampling: { temperature: 0.8, topK: 40, topP: 0.95, seed: 7 } });
    expect(demoSampling(sampled)).toBe("Sampled at temperature 0.8, top-k 40, top-p 0.95, seed 7.");
    const open = demo({ sampling: { temperature: 1.5, topK: 0, topP: 1, seed: 0 } });
    expect(demoSampling(open)).toBe("Sampled at temperature 1.5, no top-k cut, no top-p cut, seed 0.");
    expect(demoSampling(demo())).toBe("Greedy: the most likely token each time (temperature 0).");
    expect(demoSampling(demo({ generated: "" }))).toBe(""); // nothing generated, nothing drawn
  });

  it("is drawn in the GPT-2 result", () => {
    const container = document.createElement("div");
    renderDemo(container, demo({ sampling: { temperature: 0.8, topK: 40, topP: 0.95, seed: 7 } }));
    expect(container.querySelector(".tt-sampling")?.textContent).toMatch(/temperature 0\.8.*seed 7/);
  });
});

describe("renderDemo", () => {
  it("shows the speed line under the prediction", () => {
    const container = document.createElement("div");
    renderDemo(container, demo({ promptTokens: 5, stopReason: "length" }, { prefillS: 0.02, tokensPerS: 30 }));
    expect(container.querySelector(".tt-speed")?.textContent).toBe(
      "5-token prompt read in 20 ms (prefill); generated 30.0 tokens/s.",
    );
    expect(container.querySelector(".tt-meta")?.textContent).not.toContain("tokens/s");
  });

  it("has no speed line when nothing was timed", () => {
    const container = document.createElement("div");
    renderDemo(container, demo());
    expect(container.querySelector(".tt-speed")).toBeNull();
  });
});

describe("demoPrep", () => {
  it("says what the interpreter started after the last run had ready", () => {
    const t = { loadS: 0.0004, compileS: 0.007 };
    expect(demoPrep(demo({ preparedAhead: "weights-and-programs" }, t))).toBe(
      "load 0.0 s (prepared ahead), compile 0.0 s (prepared ahead)",
    );
    expect(demoPrep(demo({ preparedAhead: "weights" }, { loadS: 0.2, compileS: 0.5 }))).toBe(
      "load 0.2 s (prepared ahead), compile 0.5 s (cached)",
    );
    expect(demoPrep(demo({ cacheHit: false }))).toBe("load 1.0 s, compile 0.5 s");
  });

  it("is in the result's last line", () => {
    const container = document.createElement("div");
    renderDemo(container, demo({ preparedAhead: "weights-and-programs" }));
    expect(container.querySelector(".tt-meta")?.textContent).toContain("(prepared ahead)");
  });
});
