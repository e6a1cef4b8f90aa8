// @vitest-environment jsdom
// A cell whose run could not start because the venv is missing offers the same Install button as
// the Test step's same error: the backend error's actions travel with the cell's error output,
// survive a reload, draw as `tt-fix` buttons, and stay out of an exported notebook.
import { describe, expect, it } from "vitest";
import type { ErrorInfo } from "../../../extension/backend/protocol";
import { errorOutput, exported } from "../../../extension/cells/kernel";
import { parseOutput } from "../../../extension/shared/cellModel";
import { renderOutput } from "../../../extension/webview/cellOutputs";

const missing: ErrorInfo = {
  code: "venv-not-ready",
  message: "The TT-XLA venv at /home/me/tt-xla-venv is missing.",
  fixes: ["Run 'Install TT-XLA' (tt-lessons install) first; it repairs an incomplete venv."],
  actions: [{ label: "Install TT-XLA", command: "tenstorrent.installTtXla" }],
};

describe("a cell's 'venv is missing' error", () => {
  it("draws the error's actions as fix buttons under the message", () => {
    const out = errorOutput(missing);
    const el = renderOutput(document, out);
    expect(el.querySelector(".tt-out-error")?.textContent).toContain("is missing");
    const buttons = [...el.querySelectorAll<HTMLButtonElement>("button.tt-fix")];
    expect(buttons.map((b) => [b.textContent, b.dataset.command])).toEqual([
      ["Install TT-XLA", "tenstorrent.installTtXla"],
    ]);
    // Without actions it stays the plain error it was.
    expect(renderOutput(document, errorOutput({ ...missing, actions: [] })).className).toBe("tt-out-error");
  });

  it("keeps the actions across a reload (the saved snapshot), dropping malformed ones", () => {
    const saved = JSON.parse(JSON.stringify(errorOutput(missing))) as Record<string, unknown>;
    expect(parseOutput(saved)).toEqual(errorOutput(missing));
    const broken = { ...saved, actions: [{ label: 3 }, "x", ...(saved.actions as unknown[])] };
    expect(parseOutput(broken)).toEqual(errorOutput(missing));
  });

  it("leaves the buttons out of an exported notebook's outputs", () => {
    expect(exported(errorOutput(missing))).not.toHaveProperty("actions");
  });
});
