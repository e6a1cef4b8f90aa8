// The cells' part of the lesson page's message protocol, both ways. The webview imports the
// types; the host checks every message from the page with `parseCellMessage` (a cell number must
// be a cell of the lesson, code a bounded string) before anything runs.
import type { KernelState } from "../backend/protocol";
import { MAX_CODE_CHARS } from "../backend/routes.generated";
import type { CellOutput, CellSnapshot, CellStatus, CheckStatus, Dropped } from "./cellModel";

/** The protocol's one vocabulary for a lesson's kernel ("none": no kernel runs yet). */
export type { KernelState };

/** Output the host kept for a cell, or the cell's new counts of what it did not keep. */
export type CellOutputItem =
  | { cell: number; output: CellOutput }
  | { cell: number; dropped: Dropped }
  /** clear_output: the cell's outputs so far go. */
  | { cell: number; clear: true };

export type CellsToWebview =
  | {
      type: "cells/init";
      cells: Record<number, CellSnapshot>;
      /** False in an untrusted workspace for a lesson that is not bundled: Run is disabled. */
      canRun: boolean;
      why?: string;
      kernel: KernelState;
      /**
       * The cells show runs of a kernel that is gone (an earlier window): the kernel is new and
       * their variables are not defined in it. False once a cell has run in this one.
       */
      kernelIsNew: boolean;
    }
  /** A cell's run state changed; `running` after `queued` clears its outputs. */
  | {
      type: "cells/status";
      cell: number;
      status: CellStatus;
      executionCount: number | null;
      durationS: number | null;
      /** The lesson's check of the run that ended; null while none has (queued, running, idle). */
      check: CheckStatus | null;
    }
  | { type: "cells/output"; items: CellOutputItem[] }
  | { type: "cells/kernel"; state: KernelState; message?: string };

export type CellsFromWebview =
  | { type: "cell/run"; cell: number; code: string }
  | { type: "cell/runAll"; cells: { cell: number; code: string }[] }
  /** `kill`: the second press, when an interrupt did not stop the cell. */
  | { type: "cell/interrupt"; cell: number; kill: boolean }
  /** `code` null: the cell is back to the lesson's text. `at`: when, by the page's clock. */
  | { type: "cell/edit"; cell: number; code: string | null; at: number }
  /** Reset replaced edited code under outputs: they are from other code now (stale). */
  | { type: "cell/reset"; cell: number; at: number }
  | { type: "cell/copy"; cell: number; code: string }
  | { type: "cell/open"; cell: number; code: string }
  | { type: "kernel/restart" }
  | { type: "notebook/export" };

const isCell = (v: unknown, count: number): v is number =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 && v < count;
// The backend's own limit on a cell's code (protocol MAX_CODE_CHARS): what it would refuse, the host refuses first.
const isCode = (v: unknown): v is string => typeof v === "string" && v.length <= MAX_CODE_CHARS;
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/**
 * A cells message from the page, checked against the lesson's `cellCount`; `undefined` for a
 * message that is not about cells (the rest of the page's protocol) or is malformed.
 */
export function parseCellMessage(raw: unknown, cellCount: number): CellsFromWebview | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case "cell/run":
    case "cell/copy":
    case "cell/open":
      return isCell(m.cell, cellCount) && isCode(m.code) ? { type: m.type, cell: m.cell, code: m.code } : undefined;
    case "cell/edit":
      return isCell(m.cell, cellCount) && (m.code === null || isCode(m.code)) && isTime(m.at)
        ? { type: "cell/edit", cell: m.cell, code: m.code, at: m.at }
        : undefined;
    case "cell/reset":
      return isCell(m.cell, cellCount) && isTime(m.at) ? { type: "cell/reset", cell: m.cell, at: m.at } : undefined;
    case "cell/interrupt":
      return isCell(m.cell, cellCount) && typeof m.kill === "boolean"
        ? { type: "cell/interrupt", cell: m.cell, kill: m.kill }
        : undefined;
    case "cell/runAll": {
      if (!Array.isArray(m.cells) || m.cells.length > cellCount) return undefined;
      const cells: { cell: number; code: string }[] = [];
      for (const c of m.cells as unknown[]) {
        const r = (c ?? {}) as Record<string, unknown>;
        if (!isCell(r.cell, cellCount) || !isCode(r.code)) return undefined;
        cells.push({ cell: r.cell, code: r.code });
      }
      return { type: "cell/runAll", cells };
    }
    case "kernel/restart":
    case "notebook/export":
      return { type: m.type };
    default:
      return undefined;
  }
}

/** Is this raw message meant for the cells (even if malformed)? Then the page gate never sees it. */
export const isCellsMessage = (raw: unknown): boolean =>
  !!raw &&
  typeof raw === "object" &&
  typeof (raw as { type?: unknown }).type === "string" &&
  /^(cell|kernel|notebook)\//.test((raw as { type: string }).type);
