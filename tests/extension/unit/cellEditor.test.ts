// @vitest-environment jsdom
// The cell editor keeps the keys it handles from VS Code's webview host, which would replay them
// as workbench commands (Ctrl+A as a late native select-all that selected a paste: issue 21).
import { afterEach, describe, expect, it } from "vitest";
import { createCellEditor, keepHandledKeys } from "../../../extension/webview/cellEditor";

const seen: string[] = [];
const record = (e: KeyboardEvent): void => void seen.push(`${e.ctrlKey ? "Ctrl+" : ""}${e.key}`);
const key = (el: Element, k: string, ctrlKey = true): boolean =>
  el.dispatchEvent(new KeyboardEvent("keydown", { key: k, ctrlKey, bubbles: true, cancelable: true }));

afterEach(() => {
  window.removeEventListener("keydown", record);
  seen.length = 0;
  document.body.replaceChildren();
});

describe("keepHandledKeys", () => {
  it("stops a key the editor handled; lets the rest (paste, copy) reach the window", () => {
    const outer = document.createElement("div");
    const inner = document.createElement("div");
    outer.append(inner);
    document.body.append(outer);
    keepHandledKeys(outer);
    inner.addEventListener("keydown", (e) => {
      if (e.key === "a") e.preventDefault(); // as CodeMirror does for a key it handles
    });
    window.addEventListener("keydown", record);
    key(inner, "a");
    key(inner, "v");
    key(inner, "c");
    expect(seen).toEqual(["Ctrl+v", "Ctrl+c"]);
  });

  it("in the real editor, Ctrl+A selects all the code and never reaches VS Code's listener", () => {
    const parent = document.createElement("div");
    document.body.append(parent);
    const view = createCellEditor({
      parent,
      doc: "x = 1\nprint(x)",
      nonce: "n",
      onChange: () => {},
      onRun: () => {},
      label: "c",
    });
    window.addEventListener("keydown", record);
    key(view.contentDOM, "a");
    expect(view.state.selection.main.from).toBe(0);
    expect(view.state.selection.main.to).toBe(view.state.doc.length);
    key(view.contentDOM, "v");
    expect(seen).toEqual(["Ctrl+v"]);
    view.destroy();
  });
});
