// The in-place code editor of a cell: CodeMirror 6 with Python highlighting, bundled into the
// webview script (nothing from a CDN). Coloured with VS Code's theme variables. CodeMirror adds
// its own CSS through constructable stylesheets, or a <style> element carrying the page's nonce
// (`EditorView.cspNonce`) where those are missing, so the CSP needs no 'unsafe-inline'.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers } from "@codemirror/view";

export interface CellEditorOptions {
  parent: HTMLElement;
  doc: string;
  nonce: string;
  /** Called after every change of the text. */
  onChange: (text: string) => void;
  /** Shift+Enter, as in Jupyter. */
  onRun: () => void;
  label: string;
}

const theme = EditorView.theme({
  "&": {
    backgroundColor: "var(--vscode-textCodeBlock-background, var(--vscode-editor-background))",
    color: "var(--vscode-editor-foreground)",
    fontSize: "var(--vscode-editor-font-size, 13px)",
  },
  ".cm-content": {
    fontFamily: "var(--vscode-editor-font-family, monospace)",
    caretColor: "var(--vscode-editorCursor-foreground)",
  },
  ".cm-gutters": {
    backgroundColor: "transparent",
    color: "var(--vscode-editorLineNumber-foreground)",
    border: "none",
  },
  "&.cm-focused": { outline: "1px solid var(--vscode-focusBorder)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground": {
    backgroundColor: "var(--vscode-editor-selectionBackground)",
  },
});

/**
 * Keeps a key CodeMirror has handled (it prevented the default) from reaching VS Code.
 *
 * VS Code's webview host listens for keydown on the frame's window and replays each key as a
 * workbench keybinding, which for a focused webview runs `document.execCommand` in the page:
 * Ctrl+A becomes a native "selectAll" (undo and redo likewise) one message round trip later. After
 * Ctrl+A, Ctrl+V that late "selectAll" lands after the paste and selects the pasted text, so the
 * next key press replaced all of it (issue 21). A key the editor did not handle (Ctrl+C/V/X,
 * which the browser or, in the desktop app, VS Code's own paste performs) still goes through.
 */
export function keepHandledKeys(dom: HTMLElement): void {
  dom.addEventListener("keydown", (e) => {
    if (e.defaultPrevented) e.stopPropagation();
  });
}

export function createCellEditor(o: CellEditorOptions): EditorView {
  const view = new EditorView({
    parent: o.parent,
    state: EditorState.create({
      doc: o.doc,
      extensions: [
        EditorView.cspNonce.of(o.nonce),
        lineNumbers(),
        history(),
        bracketMatching(),
        indentUnit.of("    "),
        python(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([
          { key: "Shift-Enter", run: () => (o.onRun(), true) },
          indentWithTab,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        theme,
        EditorView.contentAttributes.of({ "aria-label": o.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) o.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  // Listens on the editor's outer element: CodeMirror's own handler (on its content) runs first.
  keepHandledKeys(view.dom);
  return view;
}

/** Replaces the whole text (Reset, or an edit restored from saved state). */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
