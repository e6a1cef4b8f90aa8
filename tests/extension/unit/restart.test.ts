// How often the backend may restart by itself before the person is asked.
import { describe, expect, it } from "vitest";
import { RestartBudget } from "../../../extension/backend/restart";

describe("RestartBudget", () => {
  it("allows a few restarts per window, then stops, and forgives after a deliberate start", () => {
    const b = new RestartBudget({ maxRestarts: 2, windowMs: 1000 });
    expect([b.allow(0), b.allow(10), b.allow(20)]).toEqual([true, true, false]);
    expect(b.allow(1500)).toBe(true); // the old crashes left the window
    b.reset();
    expect(b.allow(1501)).toBe(true);
  });
});
