// Starts (and restarts) the backend with the first interpreter that fits, says so when none does,
// and stops it when the extension deactivates. Everything it touches comes in as a dependency, so
// it runs in unit tests without an editor.
import { NO_PYTHON, noInterpreter, type NoticeLog, type NoticeUi } from "./notices";
import { findPython, trustedSources, type Interpreter, type PythonSources } from "./python";

export interface StartDeps {
  backend: { start(python: Interpreter): Promise<void>; stop(): Promise<void> };
  /** Read afresh on every start: the pythonPath setting may have changed. */
  sources: () => PythonSources;
  /** Untrusted workspaces do not ask the Python extension (its choice may come from the workspace). */
  trusted: () => boolean;
  ui: NoticeUi;
  log: NoticeLog;
  /** Shows why the backend is not up (status view). */
  setProblem: (text: string) => void;
}

export class BackendStarter {
  /** The start in progress (or done): starts and the final stop run one after another. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: StartDeps) {}

  /** Finds the interpreter, then (re)starts the backend; overlapping calls run in turn. */
  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  /** Lets a start in progress finish, then stops the backend and waits until it has stopped. */
  stop(): Promise<void> {
    return this.enqueue(() => this.deps.backend.stop());
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.queue.then(step);
    this.queue = next.catch(() => undefined); // one failed step must not block the next
    return next;
  }

  private async startNow(): Promise<void> {
    const { backend, log } = this.deps;
    const found = await findPython(trustedSources(this.deps.sources(), this.deps.trusted()));
    if (!found.ok) {
      this.deps.setProblem(NO_PYTHON);
      await backend.stop();
      // Not awaited: the notice waits for the person, and later starts or the stop must not.
      noInterpreter(this.deps.ui, log, found.tried).catch((err: unknown) =>
        log.error(`showing the no-interpreter notice: ${String(err)}`),
      );
      return;
    }
    await backend.start(found.interpreter).catch((err: unknown) => {
      log.error(`backend failed to start: ${String(err)}`);
      this.deps.setProblem(`The backend failed to start: ${String(err)}`);
    });
  }
}
