// What the person is told when the backend cannot start or keeps dying, and what each button on
// those notifications does. No `vscode` import: the window and commands come in through
// `NoticeUi` (vscodeapi.ts builds the real one), so the wording and the buttons are unit-tested.
import { COMMAND } from "./routes.generated";
import { SECTION } from "./settings.generated";
import { MIN_PYTHON } from "./python";

/** The few window and command calls the notices make. */
export interface NoticeUi {
  showError(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  showWarning(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  executeCommand(command: string, ...args: unknown[]): PromiseLike<unknown>;
}

/** The parts of the 'Tenstorrent' LogOutputChannel the notices use. */
export interface NoticeLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  show(): void;
}

export const PYTHON_SETTING = `${SECTION}.pythonPath`;
export const OPEN_SETTING = "Open Setting";
export const SHOW_OUTPUT = "Show Output";
export const RESTART_BACKEND = "Restart Backend";

export const NO_PYTHON = `No Python ${MIN_PYTHON.join(".")}+ interpreter found for the Tenstorrent backend.`;
export const RESTARTED = "The Tenstorrent backend stopped unexpectedly and was restarted.";
export const GAVE_UP =
  "The Tenstorrent backend keeps stopping, so it was not restarted again. " +
  `See the 'Tenstorrent' output for why, then choose ${RESTART_BACKEND} to start it again.`;

/**
 * No interpreter fits: logs every candidate and why it failed, shows an error that names them
 * and how to fix it, and runs the button the person picks.
 */
export async function noInterpreter(ui: NoticeUi, log: NoticeLog, tried: readonly string[]): Promise<void> {
  log.error(`${NO_PYTHON} Tried: ${tried.join("; ") || "nothing"}`);
  // The first line of each reason: a failed probe's message can carry the whole stderr.
  const named = tried.map((t) => t.split("\n", 1)[0]).join("; ") || "nothing";
  const pick = await ui.showError(
    `${NO_PYTHON} Tried: ${named}. Install Python ${MIN_PYTHON.join(".")} or newer, or set "${PYTHON_SETTING}" to one.`,
    OPEN_SETTING,
    SHOW_OUTPUT,
  );
  // Through our own command: it opens the Remote tab in a remote window, where the key takes effect.
  if (pick === OPEN_SETTING) await ui.executeCommand(COMMAND.OPEN_SETTINGS, PYTHON_SETTING);
  else if (pick === SHOW_OUTPUT) log.show();
}

/** The backend died and languageclient is restarting it. */
export function restarted(ui: NoticeUi, log: NoticeLog): void {
  log.info("restarting the backend");
  void ui.showWarning(RESTARTED);
}

/** The backend died once too often and stays stopped until the person restarts it. */
export async function gaveUp(ui: NoticeUi, log: NoticeLog, restart: () => Promise<void>): Promise<void> {
  log.error(GAVE_UP);
  const pick = await ui.showError(GAVE_UP, RESTART_BACKEND, SHOW_OUTPUT);
  if (pick === RESTART_BACKEND) await restart();
  else if (pick === SHOW_OUTPUT) log.show();
}
