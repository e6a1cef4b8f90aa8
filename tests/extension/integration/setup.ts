// Global setup: the integration tests run real workloads in a CPU-only venv at .cache/test-venv.
// If `tt-lessons status` does not call it ready, build it with `tt-lessons install --cpu-only`.
import { execFileSync } from "node:child_process";
import { TEST_VENV, ttLessons } from "./paths";

export default function setup(): void {
  const status = JSON.parse(
    execFileSync(ttLessons(), ["status", "--venv", TEST_VENV, "--json"], { encoding: "utf8" })
      .trim()
      .split("\n")
      .pop() ?? "{}",
  ) as { state?: string };
  if (status.state === "ready") return;
  console.log(`test venv is ${status.state ?? "unknown"}: installing a CPU-only one at ${TEST_VENV}`);
  execFileSync(ttLessons(), ["install", "--cpu-only", "--venv", TEST_VENV], { stdio: "inherit", timeout: 900_000 });
}
