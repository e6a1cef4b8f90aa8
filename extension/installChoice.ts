// When the backend's status already knows this machine has no Tenstorrent card (no
// /dev/tenstorrent nodes), an install that would fetch pjrt-plugin-tt first offers CPU-only, as
// scripts/run.sh does on its own. Explicit choices (a CPU-only button, the cpuOnly setting, an
// external environment, a reinstall) are never second-guessed. No `vscode` import.
import type { StatusResult } from "./backend/protocol";
import type { CommandArgs } from "./commands";
import type { TtXlaSettings } from "./settings";
import { COMMAND } from "./backend/routes.generated";

export const CPU_ONLY = "Install CPU-only";
export const WITH_PLUGIN = "Install with pjrt-plugin-tt";

export interface InstallChoiceUi {
  status(): Promise<StatusResult | undefined>;
  settings(): TtXlaSettings;
  /** A modal question; undefined when dismissed. */
  ask(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
}

/** Does this install need the question? Only a plugin install on a machine known to have no card. */
export function shouldOffer(
  command: string,
  args: CommandArgs,
  s: TtXlaSettings,
  status: StatusResult | undefined,
): boolean {
  if (command !== COMMAND.INSTALL_TT_XLA || args.cpuOnly !== undefined || args.reinstall === true) return false;
  if (s.cpuOnly || s.externalEnvironment !== "") return false;
  return status !== undefined && status.ttDevices.length === 0;
}

/** The arguments to run `command` with, after the question if it applies; undefined: not now. */
export async function installArgs(
  ui: InstallChoiceUi,
  command: string,
  args: CommandArgs,
): Promise<CommandArgs | undefined> {
  if (command !== COMMAND.INSTALL_TT_XLA) return args;
  if (!shouldOffer(command, args, ui.settings(), await ui.status())) return args;
  const pick = await ui.ask(
    "No Tenstorrent card was found on this machine (no /dev/tenstorrent). Install CPU-only?",
    "CPU-only skips pjrt-plugin-tt: JAX runs on its CPU backend and every step of the lesson still runs, " +
      "saying it ran on the CPU. Install with pjrt-plugin-tt for a card this machine does not show yet.",
    CPU_ONLY,
    WITH_PLUGIN,
  );
  if (pick === CPU_ONLY) return { ...args, cpuOnly: true };
  return pick === WITH_PLUGIN ? args : undefined;
}
