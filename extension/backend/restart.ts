// When the backend dies we restart it, but not forever: a backend that crashes at once every
// time (a broken interpreter, say) would otherwise loop. Pure, so it is unit-tested.

export interface RestartPolicy {
  /** At most this many restarts ... */
  readonly maxRestarts: number;
  /** ... within this window. */
  readonly windowMs: number;
}

export const DEFAULT_POLICY: RestartPolicy = { maxRestarts: 5, windowMs: 3 * 60_000 };

export class RestartBudget {
  private readonly times: number[] = [];

  constructor(private readonly policy: RestartPolicy = DEFAULT_POLICY) {}

  /** Records a crash at `now`; true when another restart is allowed. */
  allow(now: number): boolean {
    while (this.times.length && now - (this.times[0] ?? 0) > this.policy.windowMs) this.times.shift();
    if (this.times.length >= this.policy.maxRestarts) return false;
    this.times.push(now);
    return true;
  }

  /** A deliberate (re)start, e.g. after the interpreter setting changed, forgives old crashes. */
  reset(): void {
    this.times.length = 0;
  }
}
