// Bundles the extension (Node, CommonJS, `vscode` external) and the lesson webview (browser
// IIFE + CSS) with esbuild into dist/. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from "esbuild";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const production = process.argv.includes("--production");
const watch = process.argv.includes("--watch");

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: "info",
  absWorkingDir: ROOT,
};

const builds = [
  {
    ...common,
    entryPoints: ["extension/extension.ts"],
    outfile: "dist/extension.js",
    platform: "node",
    format: "cjs",
    target: "node18",
    external: ["vscode"],
  },
  {
    ...common,
    entryPoints: [
      { in: "extension/webview/main.ts", out: "main" },
      { in: "extension/webview/style.css", out: "main" },
    ],
    outdir: "dist/webview",
    platform: "browser",
    format: "iife",
    target: "es2022",
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
