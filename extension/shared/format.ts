// Small text formatters shared by the result renderers (pure, unit-tested).

/** 32 -> "32.0", 0.25 -> "0.25": a float result keeps its ".0" as Python prints it. */
export function formatFloat(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? v.toFixed(1) : String(Number(v.toPrecision(6)));
}

export function formatPercent(p: number): string {
  return `${(p * 100).toFixed(p >= 0.1 ? 1 : 2)}%`;
}

export function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** Tokens carry their leading space (" Paris"); show it visibly so the reader sees it. */
export function showToken(t: string): string {
  return t.replace(/^ /, "␣").replace(/\n/g, "⏎");
}

/** The wall-clock time of an ISO timestamp or epoch ms in the reader's locale: "14:02:11". */
export function formatClock(at: string | number, seconds = true): string {
  const opts: Intl.DateTimeFormatOptions = {
    hour: "2-digit",
    minute: "2-digit",
    ...(seconds ? { second: "2-digit" } : {}),
  };
  return new Date(at).toLocaleTimeString([], opts);
}
