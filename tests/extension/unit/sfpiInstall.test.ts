// The Install SFPI command: asks first, runs the backend's tt-forge-install argv in a real terminal
// as arguments (never in the script text), and says what to do when there is no plug-in.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StatusResult } from "../../../extension/backend/protocol";
import { installerArgv, installSfpi, type SfpiUi } from "../../../extension/sfpi/install";

const status = (over: Partial<StatusResult> = {}): StatusResult => ({
  kind: "status",
  venv: "/home/me/tt-xla-venv",
  state: "ready",
  python: "/home/me/tt-xla-venv/bin/python",
  packages: { "pjrt-plugin-tt": "0.1.0", jax: "0.7.1" },
  sfpiInstaller: ["/home/me/tt-xla-venv/bin/tt-forge-install"],
  ttDevices: [],
  ttSmi: null,
  backendVersion: "0.1.0",
  ...over,
});

function fakeUi(answer: boolean) {
  const calls: { terminal: [string, string, readonly string[]][]; info: string[]; asked: string[] } = {
    terminal: [],
    info: [],
    asked: [],
  };
  const ui: SfpiUi = {
    confirm: (message) => {
      calls.asked.push(message);
      return Promise.resolve(answer);
    },
    info: (m) => calls.info.push(m),
    terminal: (name, file, args) => calls.terminal.push([name, file, args]),
  };
  return { ui, calls };
}

describe("install SFPI", () => {
  it("runs the venv's tt-forge-install in a terminal after a yes", async () => {
    const { ui, calls } = fakeUi(true);
    expect(await installSfpi(ui, () => Promise.resolve(status()))).toBe(true);
    expect(calls.asked).toHaveLength(1);
    const [[name, file, args]] = calls.terminal;
    expect(name).toMatch(/tt-forge-install/);
    expect(file).toBe("/bin/bash");
    expect(args.at(-1)).toBe("/home/me/tt-xla-venv/bin/tt-forge-install");
    expect(args[1]).not.toContain("tt-xla-venv"); // the path is $0, not script text
  });

  it("does nothing on a no, and explains when the plug-in is not installed", async () => {
    const no = fakeUi(false);
    expect(await installSfpi(no.ui, () => Promise.resolve(status()))).toBe(false);
    expect(no.calls.terminal).toEqual([]);
    const cpu = fakeUi(true);
    const cpuStatus = status({ packages: { "pjrt-plugin-tt": null, jax: "0.7.1" }, sfpiInstaller: null });
    expect(await installSfpi(cpu.ui, () => Promise.resolve(cpuStatus))).toBe(false);
    expect(cpu.calls.info[0]).toMatch(/Install TT-XLA with the plug-in first/);
  });

  it("passes an installer path with spaces and quotes through bash untouched", () => {
    const dir = mkdtempSync(join(tmpdir(), "sfpi '$(x)"));
    const installer = join(dir, "tt-forge-install");
    writeFileSync(installer, '#!/bin/sh\necho "ran $0 $*"\n');
    chmodSync(installer, 0o755);
    const { file, args } = installerArgv([installer, "--dry run"]);
    const out = execFileSync(file, args, { input: "\n", encoding: "utf8" });
    expect(out).toContain(`ran ${installer} --dry run`);
    expect(out).toContain("exited with code 0");
  });
});
