// The install download's progress in words: the same text in the lesson's run panel, the
// notification and (through python_backend/tt_lessons/download_text.py) the CLI.
import type { DownloadEvent } from "../backend/protocol";

const UNITS = ["B", "kB", "MB", "GB", "TB"];

/** Decimal units as browsers and pip show them: "1.1 GB", "512.0 kB", "0 B". */
export function sizeText(bytes: number): string {
  let n = bytes;
  let unit = 0;
  while (n >= 1000 && unit < UNITS.length - 1) {
    n /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${Math.round(n)} ${UNITS[unit]}` : `${n.toFixed(1)} ${UNITS[unit]}`;
}

export function etaText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "time left unknown";
  const whole = Math.round(seconds);
  const pad = (v: number): string => String(v).padStart(2, "0");
  if (whole < 60) return `${whole} s left`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${pad(whole % 60)} s left`;
  return `${Math.floor(whole / 3600)} h ${pad(Math.floor((whole % 3600) / 60))} min left`;
}

/** "312.4 MB of 1.1 GB · 45.2 MB/s · 17 s left · 3/12 files" (+ what an earlier install left). */
export function downloadText(e: DownloadEvent): string {
  const parts = [
    `${sizeText(e.doneBytes)} of ${sizeText(e.totalBytes)}`,
    `${sizeText(e.rateBps)}/s`,
    etaText(e.etaS),
    `${e.filesDone}/${e.filesTotal} files`,
  ];
  if (e.reusedBytes) parts.push(`${sizeText(e.reusedBytes)} already downloaded`);
  return parts.join(" · ");
}

export function downloadPercent(e: DownloadEvent): number {
  return e.totalBytes === 0 ? 100 : (100 * e.doneBytes) / e.totalBytes;
}
