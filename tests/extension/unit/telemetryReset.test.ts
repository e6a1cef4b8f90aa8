// Reset Chips: asks first, runs `tt-smi -r` as an argv list, and does nothing without chips. The
// pseudoterminal is driven with real child processes (node itself standing in for tt-smi).
import { describe, expect, it } from "vitest";
import { ProcessPty, RESET_ACTION, resetChips, type ResetUi } from "../../../extension/telemetry/reset";
import type { ChipReading } from "../../../extension/telemetry/sysfs";

function fakeUi(answer: boolean) {
  const calls = {
    confirm: [] as string[][],
    info: [] as string[],
    terminal: [] as { name: string; file: string; args: readonly string[] }[],
  };
  const ui: ResetUi = {
    confirm: async (message, detail, action) => {
      calls.confirm.push([message, detail, action]);
      return answer;
    },
    info: (message) => void calls.info.push(message),
    runInTerminal: (name, file, args) => void calls.terminal.push({ name, file, args }),
  };
  return { ui, calls };
}

const two: ChipReading[] = [{ index: 0 }, { index: 1 }];

describe("resetChips", () => {
  it("runs tt-smi -r (argv, no shell) after the confirmation", async () => {
    const { ui, calls } = fakeUi(true);
    expect(await resetChips(ui, async () => two)).toBe(true);
    expect(calls.confirm).toHaveLength(1);
    expect(calls.confirm[0]?.[0]).toBe("Reset all 2 Tenstorrent chips?");
    expect(calls.confirm[0]?.[2]).toBe(RESET_ACTION);
    expect(calls.terminal).toEqual([{ name: "Tenstorrent: tt-smi -r", file: "tt-smi", args: ["-r"] }]);
  });

  it("runs nothing when the confirmation is dismissed", async () => {
    const { ui, calls } = fakeUi(false);
    expect(await resetChips(ui, async () => [{ index: 0 }])).toBe(false);
    expect(calls.confirm[0]?.[0]).toBe("Reset the Tenstorrent chip?");
    expect(calls.terminal).toEqual([]);
  });

  it("says there is nothing to reset where no chip exists, without asking", async () => {
    const { ui, calls } = fakeUi(true);
    expect(await resetChips(ui, async () => [])).toBe(false);
    expect(calls.confirm).toEqual([]);
    expect(calls.terminal).toEqual([]);
    expect(calls.info[0]).toMatch(/No Tenstorrent chip found/);
  });
});

function collect(pty: ProcessPty): { text: () => string } {
  let out = "";
  pty.onDidWrite((s) => (out += s));
  return { text: () => out };
}

describe("ProcessPty", () => {
  it("shows the process's output with CRLF line ends, then its exit code", async () => {
    const script = "console.log('Resetting 2 chips'); console.error('done'); process.exit(3)";
    const pty = new ProcessPty(process.execPath, ["-e", script]);
    const out = collect(pty);
    pty.open();
    expect(await pty.exited).toBe(3);
    expect(out.text()).toContain("Resetting 2 chips\r\n");
    expect(out.text()).toContain("done\r\n");
    expect(out.text()).toMatch(/exited with code 3\r\n$/);
  });

  it("passes arguments as they are, with no shell to interpret them", async () => {
    const pty = new ProcessPty(process.execPath, ["-e", "console.log(process.argv[1])", "$(echo hi); rm -rf x"]);
    const out = collect(pty);
    pty.open();
    expect(await pty.exited).toBe(0);
    expect(out.text()).toContain("$(echo hi); rm -rf x\r\n");
  });

  it("says plainly when the program is not on PATH", async () => {
    const pty = new ProcessPty("tt-smi-that-does-not-exist", ["-r"]);
    const out = collect(pty);
    pty.open();
    expect(await pty.exited).toBe(-1);
    expect(out.text()).toContain("tt-smi-that-does-not-exist was not found on PATH");
  });

  it("Ctrl+C interrupts the process", async () => {
    const pty = new ProcessPty(process.execPath, ["-e", "console.log('up'); setInterval(() => {}, 1000)"]);
    const out = collect(pty);
    pty.open();
    while (!out.text().includes("up")) await new Promise((r) => setTimeout(r, 10));
    pty.handleInput("\x03");
    await pty.exited;
    expect(out.text()).toMatch(/stopped by SIGINT\r\n$/);
  });
});
