// Lesson ticks are per step of one lesson: two buttons of one command tick separately, a step of
// another lesson ticks nothing, and a palette run ticks only the first argument-free button of its
// command.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DoneSteps } from "../../../extension/lesson/done";
import { doneKey, stepKey, tickedSteps as ticks, type StepRef } from "../../../extension/shared/done";
import { parseLesson } from "../../../extension/lesson/frontmatter";
import { renderLesson } from "../../../extension/lesson/render";

const stepsOfLesson = (id: string): StepRef[] =>
  renderLesson(
    parseLesson(readFileSync(join(__dirname, "..", "..", "..", "lessons", `${id}.md`), "utf8")).body,
  ).steps.map((s) => ({ stepId: s.stepId, command: s.command, hasArgs: Object.keys(s.args).length > 0 }));
const steps = stepsOfLesson("tt-xla-jax");
/** The ticks of tt-xla-jax's page. */
const tickedSteps = (s: readonly StepRef[], done: readonly string[]): Set<string> => ticks("tt-xla-jax", s, done);
const from = (stepId: string, lessonId = "tt-xla-jax") => ({ lessonId, stepId });
const stepsOf = (command: string): StepRef[] => steps.filter((s) => s.command === command);

function store(venv: () => string = () => "/home/me/tt-xla-venv", data = new Map<string, unknown>()): DoneSteps {
  return new DoneSteps({ get: <T>(k: string) => data.get(k) as T, update: async (k, v) => void data.set(k, v) }, venv);
}

describe("lesson ticks", () => {
  it("the lesson has two doctor and three demo buttons (what this is about)", () => {
    expect(stepsOf("tenstorrent.runDoctor")).toHaveLength(2);
    expect(stepsOf("tenstorrent.runTtXlaDemo")).toHaveLength(3);
  });

  it("a button's success ticks that button only, not the other one of the same command", async () => {
    const [first, again] = stepsOf("tenstorrent.runDoctor");
    const done = store();
    const list = await done.mark(doneKey({ command: "tenstorrent.runDoctor", origin: from(again!.stepId) }));
    const ticked = tickedSteps(steps, list);
    expect(ticked.has(again!.stepId)).toBe(true);
    expect(ticked.has(first!.stepId)).toBe(false);
    expect(ticked.size).toBe(1);
  });

  it("a palette run ticks the first argument-free button of its command, never one with arguments", async () => {
    const [plain, withArgs] = stepsOf("tenstorrent.runTtXlaDemo");
    expect(withArgs?.hasArgs).toBe(true);
    const list = await store().mark(doneKey({ command: "tenstorrent.runTtXlaDemo" }));
    expect([...tickedSteps(steps, list)]).toEqual([plain!.stepId]);
    // The doctor's second button is argument-free too, but only the first one stands for the palette run.
    expect([...tickedSteps(steps, ["tenstorrent.runDoctor"])]).toEqual([stepsOf("tenstorrent.runDoctor")[0]!.stepId]);
  });

  it("a stored key whose step now holds another command ticks nothing", () => {
    const install = stepsOf("tenstorrent.installTtXla")[0]!;
    expect(
      tickedSteps(steps, [doneKey({ command: "tenstorrent.runCnnExample", origin: from(install.stepId) })]).size,
    ).toBe(0);
  });

  it("ticks belong to the venv they were earned on: another venvPath starts with none", async () => {
    let venv = "/home/me/tt-xla-venv";
    const data = new Map<string, unknown>();
    const done = store(() => venv, data);
    const key = doneKey({ command: "tenstorrent.installTtXla", origin: from("step-1") });
    await done.mark(key);
    venv = "/home/me/gone";
    expect(done.list()).toEqual([]);
    venv = "/home/me/tt-xla-venv";
    expect(done.list()).toEqual([key]);
    // After a restart (a new DoneSteps on the same memento) too.
    expect(store(() => venv, data).list()).toEqual([key]);
  });

  it("a step done in one lesson never ticks the button with the same step id and command in another", () => {
    // Both lessons open with a whole-lesson button, step-0; the other lesson's takes its lessonId.
    const other = stepsOfLesson("multichip-jax");
    const [mine, theirs] = [steps[0]!, other[0]!];
    expect([mine.stepId, mine.command]).toEqual([theirs.stepId, theirs.command]);
    const done = [doneKey({ command: theirs.command, origin: from(theirs.stepId, "multichip-jax") })];
    expect(tickedSteps(steps, done).size).toBe(0);
    expect([...ticks("multichip-jax", other, done)]).toEqual([theirs.stepId]);
    // Another lesson's doctor step does not tick this one's doctor buttons either.
    const doctor = stepsOf("tenstorrent.runDoctor")[0]!;
    expect(tickedSteps(steps, [stepKey("multichip-jax", doctor.stepId, doctor.command)]).size).toBe(0);
  });

  it("reads per-step keys of earlier versions (no lesson id) as tt-xla-jax's, where they were earned", () => {
    const install = stepsOf("tenstorrent.installTtXla")[0]!;
    const legacy = [`${install.command}@${install.stepId}`, `tenstorrent.runLesson@step-0`];
    expect([...tickedSteps(steps, legacy)].sort()).toEqual([install.stepId, "step-0"].sort());
    expect(ticks("multichip-jax", stepsOfLesson("multichip-jax"), legacy).size).toBe(0);
  });

  it("remembers each key once", async () => {
    const done = store();
    const key = doneKey({ command: "tenstorrent.installTtXla", origin: from("step-1") });
    await done.mark(key);
    expect(await done.mark(key)).toEqual([key]);
  });
});
