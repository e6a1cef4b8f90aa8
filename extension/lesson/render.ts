// Lesson Markdown -> HTML with markdown-it. Raw HTML is off (`html: false`), so a lesson cannot
// carry <script> or inline handlers. Every allow-listed `command:tenstorrent.*` link becomes a
// run button with its run panel right after it; any other `command:` link (or one with bad
// arguments) is reduced to its text. No `vscode` import: tested as string in, string out.
import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import hljs from "highlight.js/lib/core";
import python from "highlight.js/lib/languages/python";
import bash from "highlight.js/lib/languages/bash";
import json from "highlight.js/lib/languages/json";
import { allowFromWebview, commandSpec, parseCommandUri, type CommandArgs } from "../commands";
import { useCellFences, type LessonCell } from "./cells";
import { escapeHtml } from "../shared/html";

hljs.registerLanguage("python", python);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("shell", bash);
hljs.registerLanguage("json", json);

export interface RenderedLesson {
  html: string;
  /**
   * Every button, in page order: what the host will accept from this page. `alone`: the only
   * link of its paragraph, so a step of a whole-lesson run too (always set here).
   */
  steps: { stepId: string; command: string; args: CommandArgs; alone?: boolean }[];
  /** Every ```python fence, in order: the cells the host will run (lesson/cells.ts). */
  cells: LessonCell[];
}

/** The run panel under a button: the DOM contract the webview script and e2e tests rely on. */
export function runPanelHtml(command: string, stepId: string): string {
  const c = escapeHtml(command);
  return (
    `<div class="tt-run-panel" data-command="${c}" data-step="${stepId}" data-status="idle" hidden>` +
    `<div class="tt-run-head"><span class="tt-status">idle</span>` +
    `<span class="tt-step"></span><progress class="tt-progress" max="100"></progress>` +
    `<span class="tt-exit-code"></span><span class="tt-duration"></span>` +
    `<button class="tt-cancel" type="button" disabled>Cancel</button></div>` +
    `<div class="tt-error" role="alert"></div><div class="tt-result"></div>` +
    `<details class="tt-log-box" open><summary>Log</summary><pre class="tt-log"></pre></details></div>`
  );
}

function createRenderer(): MarkdownIt {
  const md = new MarkdownIt({
    html: false,
    linkify: false,
    typographer: true,
    highlight(code, lang) {
      const language = hljs.getLanguage(lang) ? lang : undefined;
      const body = language ? hljs.highlight(code, { language, ignoreIllegals: true }).value : escapeHtml(code);
      return `<pre class="hljs"><code>${body}</code></pre>`;
    },
  });
  // Links open outside the webview only for http(s); everything but command links is plain text.
  md.core.ruler.push("tt_commands", (state) => {
    let stepNo = 0;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const inline = tokens[i];
      if (inline?.type !== "inline" || !inline.children) continue;
      let hasButton = false;
      const children = inline.children;
      // A paragraph with one link is a lesson step to the backend too (kernel/outline.py), which
      // runs it in a whole-lesson run; a row of preset buttons is not.
      const alone =
        tokens[i - 1]?.type === "paragraph_open" && children.filter((c) => c.type === "link_open").length === 1;
      for (let j = 0; j < children.length; j++) {
        const open = children[j];
        if (open?.type !== "link_open") continue;
        const href = open.attrGet("href") ?? "";
        if (/^https?:\/\//i.test(href)) continue;
        const close = findClose(children, j);
        const parsed = href.toLowerCase().startsWith("command:") ? parseCommandUri(href) : undefined;
        const check = parsed ? allowFromWebview(parsed.id, parsed.args) : undefined;
        if (!parsed || !check?.ok) {
          // Neutralised: the link text stays, the target goes.
          open.type = "tt_text_open";
          if (close) close.type = "tt_text_close";
          continue;
        }
        const spec = commandSpec(parsed.id);
        const stepId = `step-${stepNo++}`;
        open.type = "tt_button_open";
        open.meta = { command: parsed.id, args: check.args, stepId, isRun: Boolean(spec?.method) };
        if (close) {
          close.type = "tt_button_close";
          close.meta = open.meta;
        }
        hasButton = true;
        (state.env as { steps: RenderedLesson["steps"] }).steps.push({
          stepId,
          command: parsed.id,
          args: check.args,
          alone,
        });
      }
      // A paragraph holding a button becomes a <div>: the run panel is a <div>, and a <div>
      // inside a <p> would be hoisted out by the HTML parser, breaking `button + .tt-run-panel`.
      const before = tokens[i - 1];
      const after = tokens[i + 1];
      if (hasButton && before?.type === "paragraph_open" && after?.type === "paragraph_close") {
        before.tag = "div";
        after.tag = "div";
        before.attrSet("class", "tt-action");
      }
    }
  });
  md.renderer.rules.tt_text_open = () => "<span>";
  md.renderer.rules.tt_text_close = () => "</span>";
  md.renderer.rules.tt_button_open = (tokens, idx) => {
    const meta = tokens[idx]?.meta as { command: string; args: CommandArgs; stepId: string; isRun: boolean };
    const cls = meta.isRun ? "tt-run" : "tt-command";
    const args = Object.keys(meta.args).length ? ` data-args="${escapeHtml(JSON.stringify(meta.args))}"` : "";
    return `<button type="button" class="${cls}" data-command="${escapeHtml(meta.command)}" data-step="${meta.stepId}"${args}>`;
  };
  md.renderer.rules.tt_button_close = (tokens, idx) => {
    const meta = tokens[idx]?.meta as { command: string; stepId: string; isRun: boolean };
    return meta.isRun ? `</button>${runPanelHtml(meta.command, meta.stepId)}` : "</button>";
  };
  useCellFences(md);
  // External links get no target handling here: the webview host opens http(s) links itself.
  return md;
}

function findClose(children: Token[], openIdx: number): Token | undefined {
  let depth = 0;
  for (let k = openIdx; k < children.length; k++) {
    const t = children[k];
    if (t?.type === "link_open") depth++;
    else if (t?.type === "link_close" && --depth === 0) return t;
  }
  return undefined;
}

const renderer = createRenderer();

export function renderLesson(markdown: string): RenderedLesson {
  const env = { steps: [] as RenderedLesson["steps"], cells: [] as LessonCell[] };
  const html = renderer.render(markdown, env);
  return { html, steps: env.steps, cells: env.cells };
}
