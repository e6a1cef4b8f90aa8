// What the sidebar shows, as plain rows computed from the backend's StatusResult and the last
// sanity check. Pure, so the wording is unit-tested; status/view.ts only draws it.
import type { SanityResult, StatusResult } from "../backend/protocol";
import { PLUGIN_PACKAGE, REPORTED_PACKAGES } from "../backend/routes.generated";

export interface StatusRow {
  id: string;
  label: string;
  description: string;
  tooltip?: string;
  icon: string;
  /** Inline action for the row (a tenstorrent.* command), if any. */
  contextValue?: RowContext;
}

/** Every contextValue a row can carry; package.json's view/item/context menus key on these. */
export const ROW_CONTEXTS = ["lesson", "venv", "devices", "sanity", "packages", "backendStopped"] as const;
export type RowContext = (typeof ROW_CONTEXTS)[number];

/** First in every state: the lesson opens (and explains what is missing) even with no backend. */
const LESSON_ROW: StatusRow = {
  id: "lesson",
  label: "Lesson",
  description: "JAX inference with TT-XLA",
  icon: "book",
  contextValue: "lesson",
};

const STATE_TEXT: Record<StatusResult["state"], string> = {
  missing: "missing: run Install",
  incomplete: "incomplete: an install did not finish; run Install to repair",
  ready: "ready",
  foreign: "foreign: a folder tt-lessons did not make; choose another venvPath",
  external: "external: your own environment, used as it is (never installed into)",
};

export function deviceSummary(status: StatusResult | undefined): string {
  if (!status) return "TT: backend not running";
  if (status.ttDevices.length) return `TT: ${status.ttDevices.length} device${status.ttDevices.length > 1 ? "s" : ""}`;
  return "TT: CPU fallback";
}

export function statusRows(
  status: StatusResult | undefined,
  lastSanity: SanityResult | undefined,
  problem?: string,
): StatusRow[] {
  if (!status) {
    return [
      LESSON_ROW,
      {
        id: "backend",
        label: "Backend",
        description: problem ?? "starting…",
        icon: problem ? "error" : "loading~spin",
        // Not up (no interpreter, failed to start, kept stopping): offer Restart the Backend.
        ...(problem ? { contextValue: "backendStopped" as const } : {}),
      },
    ];
  }
  const rows: StatusRow[] = [
    LESSON_ROW,
    {
      id: "venv",
      label: "Venv",
      description: STATE_TEXT[status.state],
      tooltip: `${status.venv}${status.note ? `\n${status.note}` : ""}`,
      icon:
        status.state === "ready" || status.state === "external"
          ? "pass"
          : status.state === "missing"
            ? "circle-large-outline"
            : "warning",
      contextValue: "venv",
    },
    { id: "path", label: "Path", description: status.venv, icon: "folder" },
    {
      id: "python",
      label: "Python",
      description: status.pythonVersion ?? "not installed",
      tooltip: [status.python, status.basePython].filter(Boolean).join("\n") || undefined,
      icon: "symbol-namespace",
    },
  ];
  // The backend's own list (protocol REPORTED_PACKAGES), so a row never asks for an unreported name.
  for (const name of REPORTED_PACKAGES) {
    const v = status.packages[name];
    rows.push({
      id: `pkg-${name}`,
      label: name,
      description: v ?? (name === PLUGIN_PACKAGE ? "not installed (CPU only)" : "not installed"),
      icon: v ? "package" : "circle-slash",
      contextValue: "packages",
    });
  }
  rows.push({
    id: "devices",
    label: "Devices",
    description: status.ttDevices.length
      ? `${status.board ? `${status.board}: ` : ""}${status.ttDevices.join(", ")}; the lesson uses ${status.visibleDevices ? `chips ${status.visibleDevices}` : "all"}`
      : "CPU fallback (no TT device found)",
    icon: status.ttDevices.length ? "chip" : "device-desktop",
    contextValue: "devices",
  });
  rows.push({
    id: "tt-smi",
    label: "tt-smi",
    description: status.ttSmi ? `present (${status.ttSmi})` : "not found",
    icon: status.ttSmi ? "tools" : "circle-slash",
  });
  // A check measured a venv that is no longer there (or not ours): it says nothing about this one.
  const sanity = status.state === "missing" || status.state === "foreign" ? undefined : lastSanity;
  rows.push({
    id: "sanity",
    label: "Last sanity check",
    description: sanity
      ? `${sanity.ok ? "passed" : "WRONG value"}: ${sanity.value} on ${sanity.ttDevice ? "TT device" : "CPU"}`
      : lastSanity
        ? `not run on this venv (it is ${status.state})`
        : "not run yet",
    icon: sanity ? (sanity.ok ? "pass" : "error") : "circle-large-outline",
    contextValue: "sanity",
  });
  rows.push({
    id: "backend",
    label: "Backend",
    description: `tt-lessons ${status.backendVersion}`,
    icon: "server-process",
  });
  return rows;
}
