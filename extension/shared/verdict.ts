// What a finished run means for a person, beyond its status: a doctor run that ran to the end
// but found FAIL findings "succeeded" as a process, yet the machine is not ready, so it is shown
// as "N problems found" and ticks nothing (as `tt-lessons doctor` exits 1 then). Pure, shared by
// the host (ticks, walkthrough) and the webview (the panel's status). Also what changed between
// two doctor checks, for the "Check again" buttons.
import type { DoctorResult, Event, Finding, RunStatus } from "../backend/protocol";

/** How many findings FAIL in a result (0 for any result that is not the doctor's). */
export function problemsIn(result: { kind?: string } | undefined): number {
  if (result?.kind !== "doctor") return 0;
  return (result as DoctorResult).findings.filter((f) => f.status === "fail").length;
}

/** The FAIL count of a run's (last) doctor result. */
export function runProblems(events: readonly Event[]): number {
  const result = [...events].reverse().find((e) => e.kind === "result");
  return result?.kind === "result" ? problemsIn(result.result) : 0;
}

/** Whether a run counts as done (ticked): it succeeded and found no problem. */
export function countsAsDone(run: { status: RunStatus; events: readonly Event[] }): boolean {
  return run.status === "succeeded" && runProblems(run.events) === 0;
}

/** "1 problem found", "3 problems found". */
export function problemsText(n: number): string {
  return `${n} problem${n === 1 ? "" : "s"} found`;
}

/** One finding whose status differs between two checks; `from`/`to` undefined: new or gone. */
export interface FindingChange {
  id: string;
  title: string;
  from?: Finding["status"];
  to?: Finding["status"];
}

/** The findings whose status changed from `before` to `after`, in `after`'s order, gone ones last. */
export function findingChanges(before: DoctorResult, after: DoctorResult): FindingChange[] {
  const old = new Map(before.findings.map((f) => [f.id, f]));
  const changes: FindingChange[] = [];
  for (const f of after.findings) {
    const was = old.get(f.id);
    old.delete(f.id);
    if (was?.status !== f.status) changes.push({ id: f.id, title: f.title, from: was?.status, to: f.status });
  }
  for (const f of old.values()) changes.push({ id: f.id, title: f.title, from: f.status });
  return changes;
}
