// @vitest-environment jsdom
// A whole-lesson run's result under its button: the verdict, then each item with its check.
import { describe, expect, it } from "vitest";
import type { LessonRunResult } from "../../../extension/backend/protocol";
import { renderResult } from "../../../extension/webview/results";

const item = (over: Partial<LessonRunResult["items"][number]>): LessonRunResult["items"][number] => ({
  kind: "cell",
  title: "cell 0",
  line: 131,
  status: "passed",
  check: { status: "passed", failures: [], hint: null },
  durationS: 0.5,
  summary: "32.0 TFRT_CPU_0",
  ...over,
});

describe("lesson run result", () => {
  it("says the verdict and shows a failed check with what did not hold and the hint", () => {
    const result: LessonRunResult = {
      kind: "lesson",
      lessonId: "tt-xla-jax",
      passed: false,
      report: "/tmp/r",
      items: [
        item({}),
        item({
          title: "cell 5",
          line: 386,
          status: "failed",
          check: { status: "failed", failures: ["accuracy > 0.8 is false"], hint: "Train first." },
        }),
      ],
    };
    const box = document.createElement("div");
    renderResult(box, result, new Set());
    expect(box.querySelector(".tt-lesson-run p")?.textContent).toBe("1 of 2 failed. Report: /tmp/r");
    const rows = [...box.querySelectorAll(".tt-lesson-items tr")].map((tr) =>
      [...tr.querySelectorAll("td")].map((td) => td.textContent),
    );
    expect(rows.filter((r) => r.length)).toEqual([
      ["131", "cell 0", "passed", "passed", "32.0 TFRT_CPU_0"],
      ["386", "cell 5", "failed", "failed", "accuracy > 0.8 is false; hint: Train first."],
    ]);
  });
});
