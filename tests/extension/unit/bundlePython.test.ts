// scripts/bundle-python.mjs: which wheels the other Pythons get, and what it says about them.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { fetchForPython, installedPlatforms } from "../../../scripts/bundle-python.mjs";

type Fetch = (other: string, pins: string[], install: (req: string) => boolean) => string[];
const fetchFor = fetchForPython as Fetch;

describe("bundle-python: extension modules for the other Pythons", () => {
  const pins = ["pydantic-core==2.41.5", "pyzmq==27.3.0", "rpds-py==2026.9.1"];

  it("takes the pinned versions when they have wheels, and says nothing alarming", () => {
    const notes = fetchFor("3.14", pins, () => true);
    expect(notes).toEqual([
      "pydantic-core==2.41.5 for Python 3.14",
      "pyzmq==27.3.0 for Python 3.14",
      "rpds-py==2026.9.1 for Python 3.14",
    ]);
    expect(notes.join("\n")).not.toMatch(/ERROR|no .* wheel/);
  });

  it("falls back to the newest wheel for pyzmq and rpds-py, never for pydantic-core", () => {
    const tried: string[] = [];
    const notes = fetchFor("3.10", pins, (req) => {
      tried.push(req);
      return !req.includes("==") || req.startsWith("pyzmq");
    });
    expect(tried).toEqual(["pydantic-core==2.41.5", "pyzmq==27.3.0", "rpds-py==2026.9.1", "rpds-py"]);
    expect(notes[0]).toBe(
      "note: no pydantic-core wheel for Python 3.10 on this platform; the backend cannot start on it",
    );
    expect(notes[2]).toBe("rpds-py (newest with a wheel) for Python 3.10: 2026.9.1 has none");
  });

  it("says plainly, without ERROR, when no version at all has a wheel", () => {
    const notes = fetchFor("3.14", ["pyzmq==27.3.0"], () => false);
    expect(notes).toEqual(["note: no pyzmq wheel for Python 3.14 on this platform; its lesson cells cannot run there"]);
  });

  it("reads the platforms of the wheels pip chose (pyzmq 27 is manylinux_2_28)", () => {
    const libs = mkdtempSync(join(tmpdir(), "bundle-libs-"));
    const wheel = (dist: string, tags: string[]) => {
      mkdirSync(join(libs, `${dist}.dist-info`));
      writeFileSync(
        join(libs, `${dist}.dist-info`, "WHEEL"),
        `Wheel-Version: 1.0\nRoot-Is-Purelib: false\n${tags.map((t) => `Tag: ${t}\n`).join("")}`,
      );
    };
    wheel("pyzmq-27.3.0", ["cp312-abi3-manylinux_2_26_x86_64.manylinux_2_28_x86_64"]);
    wheel("rpds_py-2026.9.1", ["cp312-cp312-manylinux_2_17_x86_64", "cp312-cp312-manylinux2014_x86_64"]);
    wheel("pygls-2.0.0", ["py3-none-any"]);
    mkdirSync(join(libs, "pygls"));
    expect(installedPlatforms(libs)).toEqual([
      "manylinux2014_x86_64",
      "manylinux_2_17_x86_64",
      "manylinux_2_26_x86_64",
      "manylinux_2_28_x86_64",
    ]);
  });
});
