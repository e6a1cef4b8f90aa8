// What a finished run means: a doctor run with FAIL findings is not done, and what changed
// between two checks.
import { describe, expect, it } from "vitest";
import type { DoctorResult, Event, Finding } from "../../../extension/backend/protocol";
import { countsAsDone, findingChanges, problemsIn, problemsText } from "../../../extension/shared/verdict";

const f = (id: string, status: Finding["status"]): Finding => ({ id, status, title: id, detail: "" });
const doctor = (...findings: Finding[]): DoctorResult => ({ kind: "doctor", findings });
const end: Event = { kind: "end", status: "succeeded", exitCode: 0, durationS: 1 };

describe("verdict", () => {
  it("counts FAIL findings of a doctor result only", () => {
    expect(problemsIn(doctor(f("a", "fail"), f("b", "warn"), f("c", "fail")))).toBe(2);
    expect(problemsIn({ kind: "mesh" })).toBe(0);
    expect(problemsIn(undefined)).toBe(0);
    expect(problemsText(1)).toBe("1 problem found");
    expect(problemsText(3)).toBe("3 problems found");
  });

  it("a run is done when it succeeded and its doctor result, if any, has no FAIL", () => {
    const with_ = (r: DoctorResult): Event[] => [{ kind: "result", result: r }, end];
    expect(countsAsDone({ status: "succeeded", events: [end] })).toBe(true);
    expect(countsAsDone({ status: "succeeded", events: with_(doctor(f("a", "warn"))) })).toBe(true);
    expect(countsAsDone({ status: "succeeded", events: with_(doctor(f("a", "fail"))) })).toBe(false);
    expect(countsAsDone({ status: "failed", events: [end] })).toBe(false);
  });

  it("lists findings whose status changed, new ones and gone ones", () => {
    const before = doctor(f("venv", "fail"), f("smi", "info"), f("probe", "fail"));
    const after = doctor(f("venv", "ok"), f("smi", "info"), f("jax", "info"));
    expect(findingChanges(before, after)).toEqual([
      { id: "venv", title: "venv", from: "fail", to: "ok" },
      { id: "jax", title: "jax", from: undefined, to: "info" },
      { id: "probe", title: "probe", from: "fail" },
    ]);
    expect(findingChanges(after, after)).toEqual([]);
  });
});
