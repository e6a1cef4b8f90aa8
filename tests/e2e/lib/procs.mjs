// Finds processes under the code-server this suite started (never anything else on the machine).
import { execFileSync } from "node:child_process";

export function processTable() {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,stat=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const m = line.trim().match(/^(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/);
      return { pid: Number(m[1]), ppid: Number(m[2]), stat: m[3], args: m[4] };
    });
}

/** Every live descendant of `rootPid` (zombies left out). */
export function descendants(rootPid) {
  const table = processTable();
  const kids = new Map();
  for (const p of table) {
    if (!kids.has(p.ppid)) kids.set(p.ppid, []);
    kids.get(p.ppid).push(p);
  }
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    for (const child of kids.get(stack.pop()) ?? []) {
      if (!child.stat.startsWith("Z")) out.push(child);
      stack.push(child.pid);
    }
  }
  return out;
}

/** The backend server (`tt-lessons serve` / `python -m tt_lessons.cli serve`) under `rootPid`. */
export function backendServers(rootPid) {
  return descendants(rootPid).filter((p) => /tt[-_]lessons(\.cli)?\b.*\bserve\b/.test(p.args));
}

/** Workload children (scripts from tt_lessons/workloads or the installer) under `pid`. */
export function workloadChildren(pid) {
  return descendants(pid);
}
