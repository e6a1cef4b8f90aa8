// Draws a cell's outputs (extension/shared/cellModel.ts) into `.tt-cell-outputs`: streams and
// tracebacks with their ANSI colours (anser), images as data: URIs, HTML through DOMPurify.
// Nothing is ever inserted as HTML without DOMPurify, and even its output carries no style
// attribute: the page's CSP allows no inline styles, so the few safe declarations (colours, font
// weight) are applied through the CSSOM, which the CSP does not govern. Pure DOM builders over a
// Document, so they run in jsdom in the unit tests.
import Anser from "anser";
import type { FixAction } from "../backend/protocol";
import { fixButtons } from "./fixButtons";
import DOMPurify from "dompurify";
import {
  appendOutput,
  droppedNote,
  type Appended,
  type CellOutput,
  type CellSnapshot,
  type Dropped,
  type MimeBundle,
} from "../shared/cellModel";

/** The richest form of a mime bundle we draw, in order of preference (as Jupyter picks). */
export const MIME_ORDER = ["image/png", "image/jpeg", "text/html", "text/plain"] as const;

export function pickMime(data: MimeBundle): (typeof MIME_ORDER)[number] | undefined {
  return MIME_ORDER.find((m) => typeof data[m] === "string");
}

/** ANSI-coloured text as spans: colours via the CSSOM, decorations as classes, text as text. */
export function ansiToDom(doc: Document, text: string): DocumentFragment {
  const frag = doc.createDocumentFragment();
  if (!text.includes("\u001b")) {
    frag.append(text); // the common case: no escape codes, one text node
    return frag;
  }
  for (const chunk of Anser.ansiToJson(text, { json: true, remove_empty: true })) {
    const plain = !chunk.fg && !chunk.bg && chunk.decorations.length === 0;
    if (plain) {
      frag.append(chunk.content);
      continue;
    }
    const span = doc.createElement("span");
    span.textContent = chunk.content;
    const rgb = (v: string): string | undefined => (/^\d{1,3}, \d{1,3}, \d{1,3}$/.test(v) ? `rgb(${v})` : undefined);
    const fg = rgb(chunk.fg);
    const bg = rgb(chunk.bg);
    if (fg) span.style.color = fg;
    if (bg) span.style.backgroundColor = bg;
    for (const d of chunk.decorations) span.classList.add(`tt-ansi-${d}`);
    frag.append(span);
  }
  return frag;
}

/** CSS properties HTML output may keep (copied through the CSSOM); anything else is dropped. */
const SAFE_STYLE = new Set([
  "color",
  "background-color",
  "background",
  "font-weight",
  "font-style",
  "font-family",
  "text-decoration",
  "text-align",
  "white-space",
  "line-height",
  "font-size",
  "border",
  "border-collapse",
  "padding",
  "margin",
  "width",
  "height",
  "display",
  "vertical-align",
]);
const STYLE_ATTR = "data-tt-style";

/** Declarations of a style attribute that are on the list and load nothing. */
export function safeDeclarations(style: string): [string, string][] {
  const out: [string, string][] = [];
  for (const decl of style.split(";")) {
    const colon = decl.indexOf(":");
    if (colon < 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    const value = decl.slice(colon + 1).trim();
    if (!SAFE_STYLE.has(prop) || !value || /url\s*\(|expression|\\|@import|[<>]/i.test(value)) continue;
    out.push([prop, value]);
  }
  return out;
}

/**
 * Sanitises `html` with DOMPurify (no scripts, no event handlers, no forms, frames or embeds,
 * no links out, no remote images) and returns it as DOM nodes owned by `doc`.
 */
export function sanitizeHtml(doc: Document, html: string): DocumentFragment {
  const purify = purifierFor(doc);
  if (!purify) return doc.createDocumentFragment();
  const frag = purify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: [
      "style",
      "form",
      "input",
      "button",
      "textarea",
      "select",
      "iframe",
      "object",
      "embed",
      "link",
      "meta",
      "base",
    ],
    FORBID_ATTR: ["srcset", "action", "formaction", "xlink:href"],
    ADD_ATTR: [STYLE_ATTR],
    ALLOW_DATA_ATTR: false,
  });
  const owned = doc.importNode(frag, true);
  for (const el of owned.querySelectorAll<HTMLElement>(`[${STYLE_ATTR}]`)) {
    const raw = el.getAttribute(STYLE_ATTR) ?? "";
    el.removeAttribute(STYLE_ATTR);
    // Checked again: the output itself may have carried this attribute.
    for (const [prop, value] of safeDeclarations(parseKept(raw))) el.style.setProperty(prop, value);
  }
  return owned;
}

function parseKept(raw: string): string {
  try {
    const decls = JSON.parse(raw) as unknown;
    if (!Array.isArray(decls)) return "";
    return decls
      .filter((d): d is [string, string] => Array.isArray(d) && typeof d[0] === "string" && typeof d[1] === "string")
      .map(([p, v]) => `${p}:${v}`)
      .join(";");
  } catch {
    return "";
  }
}

const purifiers = new WeakMap<Window, ReturnType<typeof DOMPurify>>();

function purifierFor(doc: Document): ReturnType<typeof DOMPurify> | undefined {
  const view = doc.defaultView;
  if (!view) return undefined;
  const known = purifiers.get(view);
  if (known) return known;
  const purify = DOMPurify(view);
  purify.addHook("uponSanitizeAttribute", (_node, data) => {
    // Kept aside under a data attribute and re-applied below through the CSSOM.
    if (data.attrName === "style") {
      data.keepAttr = false;
      const safe = safeDeclarations(data.attrValue);
      if (safe.length) _node.setAttribute(STYLE_ATTR, JSON.stringify(safe));
    }
    // Only data: images: an http(s) src would be blocked by the CSP anyway, and says who reads.
    if (data.attrName === "src" && !/^data:image\/(png|jpeg|gif);base64,/i.test(data.attrValue)) {
      data.keepAttr = false;
    }
  });
  purify.addHook("afterSanitizeAttributes", (node) => {
    // A link would navigate the webview: it stays as its text.
    if (node.nodeName === "A") node.removeAttribute("href");
  });
  purifiers.set(view, purify);
  return purify;
}

const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

function richOutput(doc: Document, data: MimeBundle): HTMLElement {
  const mime = pickMime(data);
  const box = doc.createElement("div");
  box.className = "tt-out-data";
  const value = mime ? (data[mime] ?? "") : "";
  if (mime === "image/png" || mime === "image/jpeg") {
    if (BASE64.test(value)) {
      const img = doc.createElement("img");
      img.className = "tt-out-image";
      img.alt = data["text/plain"] ?? "image output";
      img.src = `data:${mime};base64,${value.replace(/\s/g, "")}`;
      box.append(img);
    }
  } else if (mime === "text/html") {
    box.classList.add("tt-out-html");
    box.append(sanitizeHtml(doc, value));
  } else if (mime === "text/plain") {
    const pre = doc.createElement("pre");
    pre.className = "tt-out-text";
    pre.append(ansiToDom(doc, value));
    box.append(pre);
  } else {
    box.textContent = `(output of type ${Object.keys(data).join(", ") || "nothing"} is not shown here)`;
  }
  return box;
}

/** An error with the backend's fixes as buttons (a missing venv's "Install TT-XLA"), as a step's. */
function withFixButtons(doc: Document, pre: HTMLElement, actions: FixAction[]): HTMLElement {
  const box = doc.createElement("div");
  box.className = "tt-out-error-box";
  box.append(pre, fixButtons(doc, actions));
  return box;
}

/** One output's element. */
export function renderOutput(doc: Document, o: CellOutput): HTMLElement {
  switch (o.output_type) {
    case "stream": {
      const pre = doc.createElement("pre");
      pre.className = `tt-out-stream tt-out-${o.name}`;
      pre.append(ansiToDom(doc, o.text));
      return pre;
    }
    case "display_data":
      return richOutput(doc, o.data);
    case "execute_result": {
      const box = richOutput(doc, o.data);
      box.classList.add("tt-out-result");
      return box;
    }
    case "error": {
      const pre = doc.createElement("pre");
      pre.className = "tt-out-error";
      // IPython's traceback already ends with "ename: evalue"; without one, say it ourselves.
      const text = o.traceback.length ? o.traceback.join("\n") : `${o.ename}: ${o.evalue}`;
      pre.append(ansiToDom(doc, text));
      return o.actions?.length ? withFixButtons(doc, pre, o.actions) : pre;
    }
  }
}

/** A cell's `.tt-cell-outputs`, kept in step with its snapshot. */
export class OutputArea {
  constructor(
    readonly root: HTMLElement,
    readonly snapshot: CellSnapshot,
  ) {}

  /** Draws every output of the snapshot again (after a reload, or a new run). */
  redraw(): void {
    const doc = this.root.ownerDocument;
    this.root.replaceChildren(...this.snapshot.outputs.map((o) => renderOutput(doc, o)));
    this.note();
  }

  /** Adds one output through the model's caps, drawing only what changed. */
  add(o: CellOutput): void {
    this.draw(appendOutput(this.snapshot, o));
  }

  private draw(changes: Appended[]): void {
    const doc = this.root.ownerDocument;
    const note = this.root.querySelector(":scope > .tt-out-dropped");
    for (const c of changes) {
      if (c.kind === "merged") {
        // The model merged into its last output, a stream: that is the last element drawn.
        const last = note ? note.previousElementSibling : this.root.lastElementChild;
        last?.append(ansiToDom(doc, c.text));
      } else if (c.kind === "added") {
        const el = renderOutput(doc, c.output);
        if (note) note.before(el);
        else this.root.append(el);
      }
    }
    if (changes.some((c) => c.kind === "dropped")) this.note();
  }

  /** The host's count of what it did not keep (it is sent only what it kept). */
  setDropped(d: Dropped): void {
    this.snapshot.dropped = { ...d };
    this.note();
  }

  private note(): void {
    const text = droppedNote(this.snapshot.dropped);
    let note = this.root.querySelector<HTMLElement>(":scope > .tt-out-dropped");
    if (!text) {
      note?.remove();
      return;
    }
    if (!note) {
      note = this.root.ownerDocument.createElement("p");
      note.className = "tt-out-dropped";
      this.root.append(note);
    }
    note.textContent = text;
  }
}
