// Each step's last result, kept per lesson and per venv across reloads (lesson/kept.ts).
import { describe, expect, it } from "vitest";
import type { Event } from "../../../extension/backend/protocol";
import { keepable, KeptResults, keptKey, MAX_KEPT_CHARS } from "../../../extension/lesson/kept";
import { MAX_VENVS, venvKey } from "../../../extension/lesson/perVenv";

class Memento {
  readonly data = new Map<string, unknown>();
  get(key: string): unknown {
    return this.data.get(key);
  }
  update(key: string, value: unknown): Promise<void> {
    this.data.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

const sanity: Event = {
  kind: "result",
  result: {
    kind: "sanity",
    devices: [{ id: 0, platform: "cpu", kind: "cpu", description: "cpu:0" }],
    platform: "cpu",
    resultDevice: "cpu:0",
    value: 32,
    expected: 32,
    ok: true,
    ttDevice: false,
    jaxVersion: "0.7.1",
    timings: { importS: 1, computeS: 0.1 },
  },
};
const end: Event = { kind: "end", status: "succeeded", exitCode: 0, durationS: 2.5 };
const run = (id: string, events: Event[], status: "succeeded" | "running" = "succeeded") => ({
  id,
  command: "tenstorrent.testTtXlaInstall",
  status,
  startedAt: 1_000_000,
  events,
});

describe("keepable", () => {
  it("keeps what draws the outcome (result, error, end), not the log, and when the run ended", () => {
    const log: Event = { kind: "log", stream: "stdout", lines: ["x"] };
    const progress: Event = { kind: "progress", step: 1, total: 2, label: "a" };
    expect(keepable("step-3", run("r1", [progress, log, sanity, end]))).toEqual({
      stepId: "step-3",
      command: "tenstorrent.testTtXlaInstall",
      runId: "r1",
      status: "succeeded",
      events: [sanity, end],
      endedAt: 1_002_500,
    });
  });

  it("keeps nothing while a run runs, nor one too big to keep", () => {
    expect(keepable("s", run("r1", [sanity], "running"))).toBeUndefined();
    const flood: Event = { kind: "error", error: { code: "internal", message: "x".repeat(MAX_KEPT_CHARS) } };
    expect(keepable("s", run("r1", [flood, end]))).toBeUndefined();
  });
});

describe("KeptResults", () => {
  it("keeps the last run per step, per venv, and reads it back", () => {
    const m = new Memento();
    const kept = new KeptResults(m, "tt-xla-jax");
    kept.keep("/v/a", "step-3", run("r1", [sanity, end]));
    kept.keep("/v/a", "step-3", run("r2", [sanity, end]));
    kept.keep("/v/a", "step-5", run("r3", [end]));
    expect(kept.list("/v/a").map((k) => [k.stepId, k.runId])).toEqual([
      ["step-3", "r2"],
      ["step-5", "r3"],
    ]);
    // Another venv has results of its own: none yet.
    expect(kept.list("/v/b")).toEqual([]);
    // A new KeptResults (after the reload) reads the same.
    expect(new KeptResults(m, "tt-xla-jax").list("/v/a")).toHaveLength(2);
    expect(new KeptResults(m, "other").list("/v/a")).toEqual([]);
  });

  it("a run too big to keep drops the step's older result; broken entries are left out", () => {
    const m = new Memento();
    const kept = new KeptResults(m, "l");
    kept.keep("/v", "step-1", run("r1", [sanity, end]));
    const flood: Event = { kind: "error", error: { code: "internal", message: "x".repeat(MAX_KEPT_CHARS) } };
    kept.keep("/v", "step-1", run("r2", [flood, end]));
    expect(kept.list("/v")).toEqual([]);
    m.data.set(keptKey("l"), { "/v": { usedAt: 1, value: { a: { stepId: "a" }, b: 3 } } });
    expect(kept.list("/v")).toEqual([]);
  });

  it("remembers a bounded number of venvs, the least recently used going first", () => {
    const m = new Memento();
    const kept = new KeptResults(m, "l");
    for (let i = 0; i <= MAX_VENVS; i++) kept.keep(`/v/${i}`, "s", run(`r${i}`, [end]));
    expect(Object.keys(m.get(keptKey("l")) as object)).toHaveLength(MAX_VENVS);
  });
});

describe("venvKey", () => {
  it("is the venv folder with ~ expanded, or the external environment when one is set", () => {
    expect(venvKey({ venvPath: "~/tt-xla-venv", externalEnvironment: "" }, "/home/me")).toBe("/home/me/tt-xla-venv");
    expect(venvKey({ venvPath: "/opt/v/", externalEnvironment: "" }, "/home/me")).toBe("/opt/v");
    expect(venvKey({ venvPath: "~/v", externalEnvironment: "~/conda/bin/python" }, "/home/me")).toBe(
      "external:/home/me/conda/bin/python",
    );
  });
});

describe("bounded venvs keep the newest", () => {
  it("the venv just used is never the one dropped", () => {
    const m = new Memento();
    const kept = new KeptResults(m, "l");
    for (let i = 0; i <= MAX_VENVS; i++) kept.keep(`/v/${i}`, "s", run(`r${i}`, [end]));
    expect(kept.list(`/v/${MAX_VENVS}`)).toHaveLength(1);
  });
});
