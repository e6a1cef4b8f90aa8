// When the backend dies we restart it, but not forever: a backend that crashes at once every
// time (a broken interpreter, say) would otherwise loop. Pure (the UI comes in through the
// notices' seam), so it is unit-tested.
import { gaveUp, restarted, type NoticeLog, type NoticeUi } from "./notices";

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

/**
 * Decides, each time the backend exits, whether languageclient restarts it, and tells the person
 * either way: a warning that it was restarted, or (budget spent) an error that it stays stopped,
 * with a button that starts it again.
 */
export class Restarts {
  private readonly budget: RestartBudget;

  constructor(
    private readonly ui: NoticeUi,
    private readonly log: NoticeLog,
    /** Starts the backend again when the person asks after it gave up. */
    private readonly restartByHand: () => Promise<void>,
    policy: RestartPolicy = DEFAULT_POLICY,
    private readonly now: () => number = Date.now,
  ) {
    this.budget = new RestartBudget(policy);
  }

  /** The backend exited; true when it should be restarted. */
  exited(): boolean {
    if (this.budget.allow(this.now())) {
      restarted(this.ui, this.log);
      return true;
    }
    gaveUp(this.ui, this.log, this.restartByHand).catch((err: unknown) =>
      this.log.error(`restarting the backend: ${String(err)}`),
    );
    return false;
  }

  /** A deliberate (re)start forgives old crashes. */
  reset(): void {
    this.budget.reset();
  }
}
