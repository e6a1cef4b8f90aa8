// "Install SFPI": the plug-in's own `tt-forge-install`, run in a real terminal because it calls
// sudo, which reads the password from a TTY the person answers. The backend never runs sudo.
// The path comes from the backend's status (it expands `~` and knows the venv); it reaches bash
// as an argument ($0), never spliced into the command text. No `vscode` import: a seam.
import { dirname, join } from "node:path";
import type { StatusResult } from "../backend/protocol";

export const SFPI_INSTALLER = "tt-forge-install";

export interface SfpiUi {
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  info(message: string): void;
  /** A terminal running `file` with `args` directly (no shell of the user's in between). */
  terminal(name: string, file: string, args: readonly string[]): void;
}

// Runs the installer, then keeps the terminal open on its exit code until Enter.
const KEEP_OPEN =
  '"$0"; code=$?; echo; echo "tt-forge-install exited with code $code."; read -r -p "Press Enter to close. "';

/** The argv of the terminal: bash with a fixed script; the installer path is its $0. */
export function installerArgv(installer: string): { file: string; args: string[] } {
  return { file: "/bin/bash", args: ["-c", KEEP_OPEN, installer] };
}

export async function installSfpi(ui: SfpiUi, status: () => Promise<StatusResult | undefined>): Promise<boolean> {
  const current = await status();
  if (!current?.python || current.packages["pjrt-plugin-tt"] == null) {
    ui.info("Install TT-XLA with the plug-in first: SFPI's installer (tt-forge-install) comes with pjrt-plugin-tt.");
    return false;
  }
  const installer = join(dirname(current.python), SFPI_INSTALLER);
  const ok = await ui.confirm(
    "Install the SFPI compiler the plug-in needs?",
    `Runs ${installer} in a terminal. It downloads Tenstorrent's SFPI package and installs it with sudo, so the terminal asks for your password. Run Install or the machine check again afterwards.`,
    "Open the Terminal",
  );
  if (!ok) return false;
  const { file, args } = installerArgv(installer);
  ui.terminal("Tenstorrent: tt-forge-install", file, args);
  return true;
}
