// One cell's outputs and run state, shared by the host (which keeps and saves them) and the
// webview (which draws them). Outputs have nbformat's v4 shapes, so a notebook export and the
// Jupyter kernel's messages map onto them one to one. Capped here, once: a cell printing ten
// million lines keeps its first lines and a count of the rest, in memory, in the saved state and
// in the DOM alike. No `vscode` and no DOM: unit-tested as data.

import type {
  CellOutput as WireOutput,
  CellStatus,
  CheckResult,
  ErrorOutput as WireError,
  FixAction,
  MimeBundle,
  OutputOrClear as WireOutputOrClear,
} from "../backend/protocol";
import { CELL_OUTPUT_CAPS } from "../backend/routes.generated";

/**
 * The protocol's nbformat outputs (protocol/cells.py, generated): what the kernel sends, what a
 * cell keeps and what the notebook export writes are the same objects. `OutputOrClear` adds
 * `IPython.display.clear_output`, applied to a cell's outputs and never kept. An error may carry
 * the backend error's fixes as buttons (a missing venv's Install): shown and saved, never exported.
 */
export type ErrorOutput = WireError & { actions?: FixAction[] };
export type CellOutput = Exclude<WireOutput, WireError> | ErrorOutput;
export type OutputOrClear = Exclude<WireOutputOrClear, WireError> | ErrorOutput;
export type { CellStatus, MimeBundle };
/** The lesson's check of a cell's last run: a cell without a ```check fence is "not-checked". */
export type CheckStatus = CheckResult["status"];

export interface Dropped {
  /** Output items, lines and characters not kept, once a cap was reached. */
  items: number;
  lines: number;
  chars: number;
}

export interface CellSnapshot {
  /** The user's text, when it differs from the lesson's; absent means the lesson's own. */
  code?: string;
  status: CellStatus;
  executionCount: number | null;
  durationS: number | null;
  outputs: CellOutput[];
  dropped: Dropped;
  /** The check's verdict on the last run that finished; absent before one. */
  check?: CheckStatus;
  /** The outputs came from code the person has since reset to the lesson's: shown as stale. */
  stale?: boolean;
  /** The backend session (extension host) whose kernel ran it: another one's variables are gone. */
  session?: string;
  /** When the last run ended (epoch ms): orders it against the lesson's step results. */
  endedAt?: number;
  /**
   * When the code was last edited or reset, by the page's clock (epoch ms): after a reload the
   * page's own copy of an edit and this one are both kept somewhere that may lag, and the newer wins.
   */
  editedAt?: number;
}

/** Characters of text (streams and rich outputs together), stream lines and output items kept per cell. */
export type Caps = { readonly [K in keyof typeof CELL_OUTPUT_CAPS]: number };

/** The protocol's caps, the same the backend applies: what it passes on fits. */
export const CAPS: Caps = CELL_OUTPUT_CAPS;

export function emptySnapshot(): CellSnapshot {
  return { status: "idle", executionCount: null, durationS: null, outputs: [], dropped: noneDropped() };
}

export const noneDropped = (): Dropped => ({ items: 0, lines: 0, chars: 0 });

/** What `appendOutput` did, so a renderer can update only what changed. */
export type Appended =
  | { kind: "merged"; text: string } // appended to the last (stream) output
  | { kind: "added"; output: CellOutput } // a new output at the end
  | { kind: "dropped" }; // over a cap: counted in `dropped`

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function outputChars(o: CellOutput): number {
  switch (o.output_type) {
    case "stream":
      return o.text.length;
    case "error":
      return o.ename.length + o.evalue.length + o.traceback.reduce((n, l) => n + l.length, 0);
    default:
      return Object.values(o.data).reduce((n, v) => n + v.length, 0);
  }
}

/**
 * What a snapshot's outputs use, kept beside it so each append costs only its own text (a chatty
 * cell sends thousands of small chunks). Computed on first use; `appendOutput` keeps it current.
 */
const usages = new WeakMap<CellSnapshot, { chars: number; lines: number; count: number }>();

function usage(s: CellSnapshot): { chars: number; lines: number } {
  const known = usages.get(s);
  if (known && known.count === s.outputs.length) return known;
  let chars = 0;
  let lines = 0;
  for (const o of s.outputs) {
    chars += outputChars(o);
    if (o.output_type === "stream") lines += countLines(o.text);
  }
  const u = { chars, lines, count: s.outputs.length };
  usages.set(s, u);
  return u;
}

function used(s: CellSnapshot, chars: number, lines: number): void {
  const u = usages.get(s);
  if (u) usages.set(s, { chars: u.chars + chars, lines: u.lines + lines, count: s.outputs.length });
}

/**
 * Cuts `text` to at most `chars` characters and `lines` newlines (its head is kept). At the line
 * cap it ends just after the last kept newline: the next line goes whole to the dropped count
 * rather than showing without its newline while the note counts it as not shown.
 */
function headOf(text: string, chars: number, lines: number): string {
  let cut = Math.min(text.length, Math.max(0, chars));
  let seen = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < cut; i = text.indexOf("\n", i + 1)) {
    if (++seen === lines) {
      cut = i + 1;
      break;
    }
  }
  return text.slice(0, cut);
}

/**
 * Adds one output to the cell, in place: a stream continuing the last stream of the same name is
 * merged into it (as Jupyter does); past a cap only the counts grow. An error is kept even past
 * the character cap (it is the part a person needs) as long as the item cap allows.
 */
export function appendOutput(s: CellSnapshot, o: CellOutput, caps: Caps = CAPS): Appended[] {
  const last = s.outputs[s.outputs.length - 1];
  if (o.output_type === "stream") {
    // Once a cap is reached it stays reached (outputs only grow), so no fragment follows a gap.
    const u = usage(s);
    const room = { chars: caps.chars - u.chars, lines: caps.lines - u.lines };
    const kept = room.chars <= 0 || room.lines <= 0 ? "" : headOf(o.text, room.chars, room.lines);
    const rest = o.text.length - kept.length;
    const done: Appended[] = [];
    if (kept) {
      if (last?.output_type === "stream" && last.name === o.name) {
        last.text += kept;
        used(s, kept.length, countLines(kept));
        done.push({ kind: "merged", text: kept });
      } else if (s.outputs.length < caps.items) {
        const added: CellOutput = { output_type: "stream", name: o.name, text: kept };
        s.outputs.push(added);
        used(s, kept.length, countLines(kept));
        done.push({ kind: "added", output: added });
      } else {
        s.dropped.items += 1;
        s.dropped.chars += kept.length;
        s.dropped.lines += countLines(kept);
        done.push({ kind: "dropped" });
      }
    }
    if (rest > 0) {
      const tail = o.text.slice(kept.length);
      s.dropped.chars += rest;
      s.dropped.lines += countLines(tail);
      done.push({ kind: "dropped" });
    }
    return done;
  }
  const size = outputChars(o);
  const fits = s.outputs.length < caps.items && (o.output_type === "error" || usage(s).chars + size <= caps.chars);
  if (!fits) {
    s.dropped.items += 1;
    s.dropped.chars += size;
    return [{ kind: "dropped" }];
  }
  s.outputs.push(o);
  used(s, size, 0);
  return [{ kind: "added", output: o }];
}

/** A cell about to run: its old outputs, check and stale mark go, its code stays. */
export function startRun(s: CellSnapshot): void {
  usages.delete(s);
  s.outputs = [];
  s.dropped = noneDropped();
  s.status = "running";
  s.executionCount = null;
  s.durationS = null;
  delete s.check;
  delete s.stale;
  delete s.endedAt;
}

/** Drops a cell's outputs and counts (clear_output), keeping its status and code. */
export function clearOutputs(s: CellSnapshot): void {
  usages.delete(s);
  s.outputs = [];
  s.dropped = noneDropped();
}

/** "… 9,999,000 more lines (78.1 MB) not shown" — the note under a capped cell. */
export function droppedNote(d: Dropped): string {
  if (!d.items && !d.lines && !d.chars) return "";
  const parts: string[] = [];
  if (d.lines) parts.push(`${d.lines.toLocaleString("en-US")} more lines`);
  if (d.items) parts.push(`${d.items.toLocaleString("en-US")} more outputs`);
  const size = d.chars >= 1e6 ? `${(d.chars / 1e6).toFixed(1)} MB` : `${(d.chars / 1e3).toFixed(1)} kB`;
  return `Output capped: ${parts.join(" and ") || "more output"} (${size}) not shown.`;
}

/** The saved form of one lesson's cells: index -> snapshot. */
export type LessonCells = Record<number, CellSnapshot>;

/** Serialised size in UTF-16 code units (what JSON.stringify makes), for the per-lesson bound. */
export const sizeOf = (v: unknown): number => JSON.stringify(v).length;

/**
 * Fits a lesson's cells into `maxChars` of JSON: outputs go first, from the largest cell down;
 * the user's code is what is kept longest (losing an edit is worse than losing an output).
 */
export function boundLesson(cells: LessonCells, maxChars: number): LessonCells {
  const out: LessonCells = {};
  for (const [k, v] of Object.entries(cells))
    out[Number(k)] = { ...v, outputs: v.outputs.map((o) => ({ ...o })), dropped: { ...v.dropped } };
  let size = sizeOf(out);
  const byOutputSize = (): CellSnapshot[] =>
    Object.values(out)
      .filter((c) => c.outputs.length > 0)
      .sort((a, b) => sizeOf(b.outputs) - sizeOf(a.outputs));
  for (const cell of byOutputSize()) {
    if (size <= maxChars) break;
    // Drop whole outputs from the end, keeping the first ones (where a person starts reading).
    while (cell.outputs.length && size > maxChars) {
      const o = cell.outputs.pop() as CellOutput;
      cell.dropped.items += 1;
      cell.dropped.chars += outputChars(o);
      size = sizeOf(out);
    }
  }
  // Still too big: only edits are left, and they are kept from the lowest cell number up.
  const keep = Object.keys(out)
    .map(Number)
    .sort((a, b) => a - b);
  const pick = (): LessonCells => Object.fromEntries(keep.map((k) => [k, out[k]])) as LessonCells;
  while (size > maxChars && keep.length) {
    keep.pop();
    size = sizeOf(pick());
  }
  return pick();
}

/** Every CellStatus, for reading saved state (a state saved by an older version may be gone). */
const STATUSES: readonly CellStatus[] = [
  "idle",
  "queued",
  "running",
  "succeeded",
  "failed",
  "interrupted",
  "died",
  "timeout",
] satisfies readonly CellStatus[];

const CHECKS: readonly CheckStatus[] = ["passed", "failed", "not-checked"] satisfies readonly CheckStatus[];

/** Checks a snapshot read back from storage or from the webview; anything malformed is dropped. */
export function parseSnapshot(raw: unknown, fromStorage = true): CellSnapshot | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const r = raw as Record<string, unknown>;
  if (!STATUSES.includes(r.status as CellStatus) || !Array.isArray(r.outputs)) return undefined;
  const outputs = r.outputs.map(parseOutput);
  if (outputs.some((o) => o === undefined)) return undefined;
  const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
  const d = (r.dropped ?? {}) as Record<string, unknown>;
  const snap: CellSnapshot = {
    // A saved run cannot still be running after a restart: shown as idle, outputs kept. (The host's
    // own live state, sent to a reloaded page, may well be running.)
    status: fromStorage && (r.status === "running" || r.status === "queued") ? "idle" : (r.status as CellStatus),
    executionCount: num(r.executionCount),
    durationS: num(r.durationS),
    outputs: outputs as CellOutput[],
    dropped: { items: num(d.items) ?? 0, lines: num(d.lines) ?? 0, chars: num(d.chars) ?? 0 },
  };
  if (typeof r.code === "string") snap.code = r.code;
  if (CHECKS.includes(r.check as CheckStatus)) snap.check = r.check as CheckStatus;
  if (r.stale === true) snap.stale = true;
  if (typeof r.session === "string") snap.session = r.session;
  const endedAt = num(r.endedAt);
  if (endedAt !== null) snap.endedAt = endedAt;
  const editedAt = num(r.editedAt);
  if (editedAt !== null) snap.editedAt = editedAt;
  return snap;
}

const isStr = (v: unknown): v is string => typeof v === "string";
const isAction = (v: unknown): v is FixAction => {
  const a = v as Partial<FixAction> | null;
  return (
    !!a && typeof a === "object" && isStr(a.label) && isStr(a.command) && (a.args == null || typeof a.args === "object")
  );
};
// Saved before outputs carried nbformat's `metadata`: none.
const metadata = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};

export function parseOutput(raw: unknown): CellOutput | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const r = raw as Record<string, unknown>;
  const bundle = (v: unknown): MimeBundle | undefined => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    const out: MimeBundle = {};
    for (const [k, x] of Object.entries(v)) {
      // nbformat allows a list of lines for text; joined here.
      if (isStr(x)) out[k] = x;
      else if (Array.isArray(x) && x.every(isStr)) out[k] = x.join("");
    }
    return out;
  };
  const text = (v: unknown): string | undefined =>
    isStr(v) ? v : Array.isArray(v) && v.every(isStr) ? v.join("") : undefined;
  switch (r.output_type) {
    case "stream": {
      const t = text(r.text);
      return (r.name === "stdout" || r.name === "stderr") && t !== undefined
        ? { output_type: "stream", name: r.name, text: t }
        : undefined;
    }
    case "display_data": {
      const data = bundle(r.data);
      return data ? { output_type: "display_data", data, metadata: metadata(r.metadata) } : undefined;
    }
    case "execute_result": {
      const data = bundle(r.data);
      const n = r.execution_count;
      return data
        ? {
            output_type: "execute_result",
            data,
            metadata: metadata(r.metadata),
            execution_count: typeof n === "number" ? n : null,
          }
        : undefined;
    }
    case "error": {
      if (!(isStr(r.ename) && isStr(r.evalue) && Array.isArray(r.traceback) && r.traceback.every(isStr)))
        return undefined;
      const error: ErrorOutput = { output_type: "error", ename: r.ename, evalue: r.evalue, traceback: r.traceback };
      // Only well-formed actions come back; the host checks each click against its allow-list again.
      const actions = Array.isArray(r.actions) ? r.actions.filter(isAction) : [];
      return actions.length ? { ...error, actions } : error;
    }
    default:
      return undefined;
  }
}
