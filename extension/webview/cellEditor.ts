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

export function createCellEditor(o: CellEditorOptions): EditorView {
  return new EditorView({
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
}

/** Replaces the whole text (Reset, or an edit restored from saved state). */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
