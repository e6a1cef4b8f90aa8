// The lesson page: one function that builds the HTML with a strict CSP. Scripts run only with a
// per-load nonce, styles and images come only from the extension, nothing remote. Takes URIs as
// strings so it is unit-tested without VS Code.
import { randomBytes } from "node:crypto";
import type { LessonMeta } from "./frontmatter";
import { escapeHtml as esc } from "../shared/html";

export interface PageAssets {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
}

export function newNonce(): string {
  return randomBytes(18)
    .toString("base64")
    .replace(/[^A-Za-z0-9]/g, "");
}

export function csp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    // data: images are a cell's own outputs (a matplotlib PNG), drawn as data: URIs.
    `img-src ${cspSource} data:`,
    // The nonce lets CodeMirror (the cell editor) add its stylesheet; no inline style attributes.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
}

export function lessonPage(meta: LessonMeta, bodyHtml: string, assets: PageAssets, nonce = newNonce()): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp(assets.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${esc(assets.styleUri)}">
<title>${esc(meta.title)}</title>
</head>
<body data-lesson="${esc(meta.id)}">
<header class="tt-lesson-head">
<p class="tt-lesson-meta">About ${meta.minutes} minutes · Hardware: ${esc(meta.hardware.join(", "))}</p>
</header>
<main class="tt-lesson">
${bodyHtml}
</main>
<script nonce="${nonce}" src="${esc(assets.scriptUri)}"></script>
</body>
</html>`;
}
