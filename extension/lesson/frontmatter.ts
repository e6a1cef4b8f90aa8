// Splits a lesson file into its YAML front matter and Markdown body, and checks the fields the
// panel shows. A lesson without valid front matter is a packaging bug, so it throws.
import { parse } from "yaml";

export interface LessonMeta {
  id: string;
  title: string;
  hardware: string[];
  minutes: number;
}

export interface Lesson {
  meta: LessonMeta;
  body: string;
}

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

export function parseLesson(text: string): Lesson {
  const m = FENCE.exec(text);
  if (!m) throw new Error("lesson has no front matter (--- ... ---)");
  const data: unknown = parse(m[1] ?? "");
  if (!data || typeof data !== "object") throw new Error("lesson front matter is not a mapping");
  const d = data as Record<string, unknown>;
  const id = d.id;
  const title = d.title;
  const hardware = d.hardware;
  const minutes = d.minutes;
  if (typeof id !== "string" || !/^[a-z0-9-]+$/.test(id)) throw new Error("front matter: id must be kebab-case");
  if (typeof title !== "string" || !title) throw new Error("front matter: title is required");
  if (!Array.isArray(hardware) || !hardware.every((h) => typeof h === "string")) {
    throw new Error("front matter: hardware must be a list of names");
  }
  if (typeof minutes !== "number" || minutes <= 0) throw new Error("front matter: minutes must be a positive number");
  return { meta: { id, title, hardware: hardware as string[], minutes }, body: text.slice(m[0].length) };
}
