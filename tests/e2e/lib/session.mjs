// One e2e file's world: a fresh offline CPU profile (lib/env.mjs) with the packaged extension
// installed, code-server on an empty workspace, and Chromium on the workbench.
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { installExtension, launchBrowser, startCodeServer } from "./codeserver.mjs";
import { VSIX, offlineCpuProfile } from "./env.mjs";
import { installedManifest } from "./fixtures.mjs";
import { E2E_DIR } from "./paths.mjs";
import { openWorkbench } from "./workbench.mjs";

/** Starts it all under .e2e/tmp/<name>-XXXX; `stop()` closes the browser and code-server. */
export async function startSession(name) {
  const tmp = process.env.TT_E2E_TMP ?? join(E2E_DIR, "tmp");
  mkdirSync(tmp, { recursive: true });
  const root = mkdtempSync(join(tmp, `${name}-`));
  const venv = join(root, "tt-xla-venv");
  const profile = offlineCpuProfile(root, venv);
  installExtension(profile, VSIX);
  const pkg = installedManifest(profile.extensions);
  const workspace = join(root, "workspace");
  mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer(profile, workspace);
  const browser = await launchBrowser(profile.env);
  const page = await openWorkbench(browser, server.url);
  return {
    root,
    venv,
    profile,
    pkg,
    workspace,
    server,
    browser,
    page,
    async stop() {
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}
