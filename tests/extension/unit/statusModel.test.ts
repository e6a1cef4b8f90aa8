// The sidebar's status rows and the status-bar summary, from a status answer.
import { describe, expect, it } from "vitest";
import type { SanityResult, StatusResult } from "../../../extension/backend/protocol";
import { deviceSummary, statusRows } from "../../../extension/status/model";

describe("status rows", () => {
  const status: StatusResult = {
    kind: "status",
    venv: "/v",
    state: "ready",
    pythonVersion: "3.11.7",
    packages: { "pjrt-plugin-tt": null, jax: "0.10.2", flax: "0.12.8", transformers: "5.24.0" },
    ttDevices: [],
    ttSmi: null,
    backendVersion: "0.1.0",
  };

  it("shows venv state, versions, CPU fallback and the last sanity check", () => {
    const rows = statusRows(status, undefined);
    const by = Object.fromEntries(rows.map((r) => [r.id, r.description]));
    expect(by.venv).toBe("ready");
    expect(by["pkg-jax"]).toBe("0.10.2");
    expect(by["pkg-pjrt-plugin-tt"]).toMatch(/not installed/);
    // Every package the backend reports gets a row, also one the status left out.
    expect(by["pkg-jaxlib"]).toBe("not installed");
    expect(by.devices).toMatch(/CPU fallback/);
    expect(by["tt-smi"]).toBe("not found");
    expect(by.sanity).toBe("not run yet");
    expect(deviceSummary(status)).toBe("TT: CPU fallback");
    expect(deviceSummary({ ...status, ttDevices: ["n300 L", "n300 R"] })).toBe("TT: 2 devices");
  });

  it("a sanity check of a venv that is now missing is not shown as passed", () => {
    const passed: SanityResult = {
      kind: "sanity",
      devices: [],
      platform: "cpu",
      resultDevice: "cpu:0",
      value: 32,
      expected: 32,
      ok: true,
      ttDevice: false,
      jaxVersion: "0.7.1",
      timings: { importS: 1, computeS: 0.1 },
    };
    const sanity = (s: StatusResult) => statusRows(s, passed).find((r) => r.id === "sanity");
    expect(sanity(status)?.description).toBe("passed: 32 on CPU");
    expect(sanity({ ...status, state: "missing" })).toMatchObject({
      description: "not run on this venv (it is missing)",
      icon: "circle-large-outline",
    });
  });

  it("explains a missing backend instead of showing stale values", () => {
    expect(statusRows(undefined, undefined, "No Python")).toEqual([
      expect.objectContaining({ id: "lesson", contextValue: "lesson" }),
      expect.objectContaining({ description: "No Python", icon: "error" }),
    ]);
  });

  it("says which Python the venv runs, which chips the lesson uses, and an external environment", () => {
    const chips = ["/dev/tenstorrent/0", "/dev/tenstorrent/1"];
    const rows = statusRows(
      {
        ...status,
        pythonVersion: "3.12.1",
        python: "/v/bin/python",
        basePython: "/usr/bin/python3.12",
        ttDevices: chips,
      },
      undefined,
    );
    const python = rows.find((r) => r.id === "python");
    expect(python?.description).toBe("3.12.1");
    expect(python?.tooltip).toBe("/v/bin/python\n/usr/bin/python3.12");
    expect(rows.find((r) => r.id === "devices")?.description).toMatch(/tenstorrent\/1; the lesson uses all$/);
    const picked = statusRows({ ...status, ttDevices: chips, visibleDevices: "1" }, undefined);
    expect(picked.find((r) => r.id === "devices")?.description).toMatch(/uses chips 1$/);
    // The board the backend recognised from sysfs comes first.
    const board = statusRows({ ...status, ttDevices: chips, board: "n300 card, 2 Wormhole chips" }, undefined);
    expect(board.find((r) => r.id === "devices")?.description).toMatch(
      /^n300 card, 2 Wormhole chips: \/dev\/tenstorrent\/0/,
    );
    const external = statusRows({ ...status, state: "external" }, undefined).find((r) => r.id === "venv");
    expect(external).toMatchObject({ icon: "pass" });
    expect(external?.description).toMatch(/^external: your own environment/);
  });
});
