// Two projects: fast unit tests (node or jsdom per file) and integration tests that start the
// real Python backend. `npm test` runs both; the integration global setup makes sure the CPU
// test venv exists first.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/extension/unit/**/*.test.ts"],
          environment: "node",
          pool: "threads",
          poolOptions: { threads: { maxThreads: 2 } },
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/extension/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/extension/integration/setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "package",
          include: ["tests/extension/package/**/*.test.ts"],
          environment: "node",
          testTimeout: 600_000,
        },
      },
    ],
  },
});
