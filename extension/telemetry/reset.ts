// "Reset Chips": `tt-smi -r` after a modal confirmation, in a terminal of its own. The command is
// an argv list run without a shell, never a string built from settings. The terminal is a
// pseudoterminal around the child process so its output and exit code stay on screen (a plain
// `shellPath` terminal closes as soon as tt-smi exits 0). No `vscode` import: the window calls
// are a seam, and `ProcessPty` fits `vscode.Pseudoterminal`.
import { spawn } from "node:child_process";
import type { ChipReading } from "./sysfs";
import type { Disposable } from "./poller";

export const RESET_FILE = "tt-smi";
export const RESET_ARGS: readonly string[] = ["-r"];

export interface ResetUi {
  /** A modal question; true when the person chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  info(message: string): void;
  runInTerminal(name: string, file: string, args: readonly string[]): void;
}

export const RESET_ACTION = "Reset Chips";

/** Context key, true while chips are found: package.json shows Reset Chips only then. */
export const HAS_CHIPS = "tenstorrent.hasChips";

/** Asks, then runs `tt-smi -r`; says so and does nothing where there is no chip. */
export async function resetChips(ui: ResetUi, chips: () => Promise<ChipReading[]>): Promise<boolean> {
  const found = await chips();
  if (!found.length) {
    ui.info(
      "No Tenstorrent chip found here (no /dev/tenstorrent device with its /sys/class/tenstorrent entry): nothing to reset.",
    );
    return false;
  }
  const ok = await ui.confirm(
    `Reset ${found.length === 1 ? "the Tenstorrent chip" : `all ${found.length} Tenstorrent chips`}?`,
    "Runs `tt-smi -r` in a terminal. Anything using the chips now (a running step, another program) loses them.",
    RESET_ACTION,
  );
  if (!ok) return false;
  ui.runInTerminal("Tenstorrent: tt-smi -r", RESET_FILE, RESET_ARGS);
  return true;
}

type Listener<T> = (value: T) => void;

class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
}

/** Terminals want CRLF; a child's pipes give LF. */
const crlf = (s: string): string => s.replace(/\r?\n/g, "\r\n");

/** A terminal running one process: its output, then its exit code; Ctrl+C interrupts it. */
export class ProcessPty {
  private readonly write = new Emitter<string>();
  private readonly closed = new Emitter<number | undefined>();
  readonly onDidWrite = this.write.event;
  readonly onDidClose = this.closed.event;
  private child: ReturnType<typeof spawn> | undefined;
  /** Resolves with the exit code (or -1 when it did not start) once the process is over. */
  readonly exited: Promise<number>;
  private settle: (code: number) => void = () => undefined;

  constructor(
    private readonly file: string,
    private readonly args: readonly string[],
  ) {
    this.exited = new Promise((resolve) => (this.settle = resolve));
  }

  open(): void {
    const shown = [this.file, ...this.args].join(" ");
    this.write.fire(`$ ${shown}\r\n`);
    const child = spawn(this.file, [...this.args], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stdout?.on("data", (d: Buffer) => this.write.fire(crlf(d.toString())));
    child.stderr?.on("data", (d: Buffer) => this.write.fire(crlf(d.toString())));
    child.on("error", (err: NodeJS.ErrnoException) => {
      this.child = undefined;
      this.write.fire(
        err.code === "ENOENT"
          ? `\r\n${this.file} was not found on PATH. Install it (pipx install tt-smi) and try again.\r\n`
          : `\r\n${shown} could not start: ${err.message}\r\n`,
      );
      this.settle(-1);
    });
    child.on("close", (code, signal) => {
      this.child = undefined;
      this.write.fire(`\r\n${shown} ${signal ? `stopped by ${signal}` : `exited with code ${code ?? "?"}`}\r\n`);
      this.settle(code ?? -1);
    });
  }

  handleInput(data: string): void {
    if (data === "\x03") this.child?.kill("SIGINT");
  }

  close(): void {
    this.child?.kill("SIGTERM");
  }
}
