// The lesson opens by itself once: on the extension's first activation after install (kept in
// globalState). Later starts leave the editor as the person left it; a lesson tab that was open
// when VS Code closed comes back through the panel serializer instead.
import type { Memento } from "./done";

export const OPENED_ON_INSTALL = "tenstorrent.lesson.openedOnInstall";

/**
 * Opens the lesson when this profile has never opened it on install; says whether it did. The
 * flag is set before opening, so a lesson that fails to open is not retried at every start.
 */
export async function openOnFirstActivation(store: Memento, open: () => Promise<void>): Promise<boolean> {
  if (store.get<boolean>(OPENED_ON_INSTALL) === true) return false;
  await store.update(OPENED_ON_INSTALL, true);
  await open();
  return true;
}
