// Starts a real code-server (VS Code in the browser) on 127.0.0.1 with throw-away user-data and
// extensions folders, and a browser (Debian's chromium through playwright-core) pointed at it.
// Nothing is written to the home folder: HOME/XDG_* point into the run's own folder too.
import { spawn, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdirSync, writeFileSync, createWriteStream } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { E2E_DIR } from "./paths.mjs";
import { descendants } from "./procs.mjs";

const require = createRequire(join(E2E_DIR, "package.json"));
export const CODE_SERVER = join(E2E_DIR, "node_modules", ".bin", "code-server");

export function chromiumPath() {
  try {
    return execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser"], {
      encoding: "utf8",
    }).trim();
  } catch {
    throw new Error("chromium not found: run `bash scripts/setup-e2e.sh` (installs it with apt)");
  }
}

/** The settings every run needs so nothing modal covers the workbench. */
export const QUIET_SETTINGS = {
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "terminal.integrated.gpuAcceleration": "off",
  "window.restoreWindows": "none",
  "git.openRepositoryInParentFolders": "never",
};

/**
 * Lays out a fresh profile under `root`: user settings, config file, env.
 * Returns what `start` and `installExtension` need.
 *
 * `machineSettings` go to the remote machine's settings (user-data/Machine/settings.json, the
 * "Remote" tab). code-server is a remote window: settings of scope `machine` or
 * `machine-overridable` in the User settings file apply on the first load only and are dropped
 * after a window reload, so such settings belong there.
 */
export function makeProfile(root, settings = {}, machineSettings = {}) {
  const dirs = {
    root,
    userData: join(root, "user-data"),
    extensions: join(root, "extensions"),
    home: join(root, "home"),
    logs: join(root, "logs"),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.userData, "User"), { recursive: true });
  writeFileSync(
    join(dirs.userData, "User", "settings.json"),
    JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2),
  );
  if (Object.keys(machineSettings).length) {
    mkdirSync(join(dirs.userData, "Machine"), { recursive: true });
    writeFileSync(join(dirs.userData, "Machine", "settings.json"), JSON.stringify(machineSettings, null, 2));
  }
  const config = join(root, "config.yaml");
  writeFileSync(config, "bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n");
  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: join(dirs.home, ".config"),
    XDG_DATA_HOME: join(dirs.home, ".local", "share"),
    XDG_CACHE_HOME: join(dirs.home, ".cache"),
    TMPDIR: join(root, "tmp"),
  };
  mkdirSync(env.TMPDIR, { recursive: true });
  delete env.VSCODE_IPC_HOOK_CLI; // never talk to an editor this shell may run in
  return { ...dirs, config, env };
}

function baseArgs(p) {
  return ["--config", p.config, "--user-data-dir", p.userData, "--extensions-dir", p.extensions];
}

export function installExtension(profile, vsix) {
  const out = execFileSync(CODE_SERVER, [...baseArgs(profile), "--force", "--install-extension", vsix], {
    env: profile.env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return out;
}

/** Starts code-server on a free port (bind 127.0.0.1:0) and resolves with its URL once healthy. */
export async function startCodeServer(profile, folder, { timeoutMs = 60_000 } = {}) {
  const args = [
    ...baseArgs(profile),
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--ignore-last-opened",
    folder,
  ];
  const child = spawn(CODE_SERVER, args, { env: profile.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const log = createWriteStream(join(profile.logs, "code-server.log"));
  let text = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${text}`)), timeoutMs);
    const onData = (chunk) => {
      log.write(chunk);
      text += chunk.toString();
      const m = text.match(/HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening:\n${text}`));
    });
  });
  // If this process ends without stop() (an uncaught error, Ctrl+C), take the server down with it.
  const killGroup = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* gone */
    }
  };
  process.once("exit", killGroup);
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.once(sig, () => {
      killGroup();
      process.exit(130);
    });
  }
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const tree = descendants(child.pid); // processes that left the group (a detached backend)
      try {
        process.kill(-child.pid, "SIGTERM"); // its own process group: server + extension host + backend
      } catch {
        /* gone */
      }
      const exited = new Promise((r) => child.once("exit", r));
      const t = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }, 10_000);
      await exited;
      clearTimeout(t);
      process.removeListener("exit", killGroup);
      for (const p of tree) {
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
    },
  };
}

/** Chromium from apt, headless; `env` (a profile's) keeps its crash folder out of the home folder. */
export async function launchBrowser(env = undefined) {
  const { chromium } = require("playwright-core");
  return chromium.launch({
    executablePath: chromiumPath(),
    env,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
  });
}
