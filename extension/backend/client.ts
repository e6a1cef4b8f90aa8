// Starts `python -m tt_lessons.cli serve` with vscode-languageclient over stdio, restarts it when
// it dies (and says so), and gives the rest of the extension typed calls. Every protocol type
// comes from the generated protocol.ts.
import type * as vscode from "vscode";
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  type CancellationToken,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import type { NoticeUi } from "./notices";
import type { EventNotification, StatusParams, StatusResult } from "./protocol";
import { SERVER_ARGS, serverEnv, type Interpreter } from "./python";
import { Restarts } from "./restart";
import { request, type Connection } from "./requests";
import { METHOD } from "./routes.generated";

export interface BackendHooks {
  /** Every `tenstorrent/event` notification. */
  onEvent: (note: EventNotification) => void;
  /** The server process went away (runs in flight will not be answered); `restarting` or not. */
  onLost: (reason: string, restarting: boolean) => void;
  /** The server is (again) up. */
  onReady: () => void;
  /** The person asked to start it again after it kept dying: find the interpreter, then start. */
  restart: () => Promise<void>;
}

export class Backend implements Connection, vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly restarts: Restarts;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly hooks: BackendHooks,
    /** The window's notifications (vscodeapi.ts `noticeUi`): passed in, so backend/ imports no UI. */
    ui: NoticeUi,
  ) {
    this.restarts = new Restarts(ui, log, () => hooks.restart());
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** Running, or starting/restarting: languageclient holds requests until the server is up. */
  get available(): boolean {
    return this.client !== undefined && this.client.state !== State.Stopped;
  }

  /** Starts the server with `python`; stops any earlier one first (clean restart). */
  async start(python: Interpreter): Promise<void> {
    // A deliberate restart (the palette command, a new interpreter setting) drops runs in
    // flight: end them with that reason rather than languageclient's "connection disposed".
    if (this.available) this.hooks.onLost("the backend was restarted", true);
    await this.stop();
    this.restarts.reset();
    const serverOptions: ServerOptions = {
      command: python.path,
      args: [...SERVER_ARGS],
      // No `transport`: stdio all the same, but TransportKind.stdio would append `--stdio`,
      // which `tt-lessons serve` does not take.
      options: { env: serverEnv(this.extensionPath, python.version, process.env) },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [], // no documents: the server only answers tenstorrent/* requests
      outputChannel: this.log,
      traceOutputChannel: this.log,
      revealOutputChannelOn: 4, // RevealOutputChannelOn.Never: errors are shown where they happen
      errorHandler: {
        error: (error) => {
          this.log.error(`backend connection error: ${error.message}`);
          return { action: ErrorAction.Continue, handled: true };
        },
        closed: () => this.closed(),
      },
    };
    const client = new LanguageClient("tenstorrent", "Tenstorrent backend", serverOptions, clientOptions);
    this.client = client;
    this.subscriptions.push(
      client.onNotification(METHOD.event, (note: EventNotification) => this.hooks.onEvent(note)),
      client.onDidChangeState((change) => {
        this.log.info(`backend: ${State[change.oldState]} -> ${State[change.newState]}`);
        if (change.newState === State.Running) this.hooks.onReady();
      }),
    );
    this.log.info(
      `starting backend: ${python.path} ${SERVER_ARGS.join(" ")} (Python ${python.version.join(".")}, from ${python.source})`,
    );
    await client.start();
  }

  private closed(): { action: CloseAction; handled: boolean } {
    const reason = "the backend process exited";
    this.log.warn(`${reason}; runs in flight are marked failed`);
    const restarting = this.restarts.exited();
    this.hooks.onLost(reason, restarting);
    return { action: restarting ? CloseAction.Restart : CloseAction.DoNotRestart, handled: true };
  }

  async stop(): Promise<void> {
    for (const d of this.subscriptions.splice(0)) d.dispose();
    const client = this.client;
    this.client = undefined;
    if (client && client.state !== State.Stopped) {
      await client.stop(5000).catch((err: unknown) => this.log.warn(`stopping the backend: ${String(err)}`));
    }
  }

  sendRequest<R>(method: string, params: unknown, token: CancellationToken): Promise<R> {
    if (!this.client) return Promise.reject(new Error("The Tenstorrent backend is not running."));
    return this.client.sendRequest<R>(method, params, token);
  }

  async status(params: StatusParams): Promise<StatusResult> {
    if (!this.client || !this.available) throw new Error("The Tenstorrent backend is not running.");
    return request(this.client, METHOD.status, params);
  }

  dispose(): void {
    void this.stop();
  }
}
