// "Install SFPI": the plug-in's own `tt-forge-install`, run in a real terminal because it calls
// sudo, which reads the password from a TTY the person answers. The backend never runs sudo.
// The command line is the backend's (status `sfpiInstaller`, the same argv as its SFPI fix); it
// reaches bash as arguments ("$@"), never spliced into the command text. No `vscode` import.
import type { StatusResult } from "../backend/protocol";

export interface SfpiUi {
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  info(message: string): void;
  /** A terminal running `file` with `args` directly (no shell of the user's in between). */
  terminal(name: string, file: string, args: readonly string[]): void;
}

// Runs the installer, then keeps the terminal open on its exit code until Enter.
const KEEP_OPEN =
  '"$@"; code=$?; echo; echo "tt-forge-install exited with code $code."; read -r -p "Press Enter to close. "';

/** The argv of the terminal: bash with a fixed script; the installer's argv is its "$@". */
export function installerArgv(argv: readonly string[]): { file: string; args: string[] } {
  return { file: "/bin/bash", args: ["-c", KEEP_OPEN, "tt-forge-install", ...argv] };
}

export async function installSfpi(ui: SfpiUi, status: () => Promise<StatusResult | undefined>): Promise<boolean> {
  const current = await status();
  const argv = current?.sfpiInstaller;
  if (!argv?.length) {
    ui.info("Install TT-XLA with the plug-in first: SFPI's installer (tt-forge-install) comes with pjrt-plugin-tt.");
    return false;
  }
  const ok = await ui.confirm(
    "Install the SFPI compiler the plug-in needs?",
    `Runs ${argv.join(" ")} in a terminal. It downloads Tenstorrent's SFPI package and installs it with sudo, so the terminal asks for your password. Run Install or the machine check again afterwards.`,
    "Open the Terminal",
  );
  if (!ok) return false;
  const { file, args } = installerArgv(argv);
  ui.terminal("Tenstorrent: tt-forge-install", file, args);
  return true;
}
