// Messages from the lesson webview: only the known kinds, well-formed, get through.
import { describe, expect, it } from "vitest";
import { parseFromWebview } from "../../../extension/shared/messages";

describe("parseFromWebview", () => {
  it("accepts the four message kinds and drops anything else", () => {
    expect(
      parseFromWebview({ type: "run", stepId: "step-1", command: "tenstorrent.runDoctor", args: { a: 1 } }),
    ).toEqual({
      type: "run",
      stepId: "step-1",
      command: "tenstorrent.runDoctor",
      args: { a: 1 },
    });
    expect(parseFromWebview({ type: "cancel", runId: "r" })).toEqual({ type: "cancel", runId: "r" });
    expect(parseFromWebview({ type: "run", command: "x" })).toBeUndefined();
    expect(parseFromWebview({ type: "eval", code: "1" })).toBeUndefined();
    expect(parseFromWebview("ready")).toBeUndefined();
  });
});
