import { useEffect, useRef } from 'react';
import { EditorView, basicSetup } from 'codemirror';
import { EditorState, Compartment } from '@codemirror/state';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { drlLanguage } from './drl';
import type { Marker } from './problems';

/** Where a 1-based line/column marker lands in the document: the word at that column, or the whole line. */
export function rangeOf(state: EditorState, m: Marker): { from: number; to: number } {
  const doc = state.doc;
  const line = doc.line(Math.min(Math.max(1, m.line || 1), doc.lines));
  if (!m.column || m.column < 1) return { from: line.from, to: Math.max(line.from, line.to) };
  const from = Math.min(line.from + m.column - 1, line.to);
  const rest = doc.sliceString(from, line.to);
  const word = /^[\w$.@"-]+/.exec(rest);
  return { from, to: Math.min(line.to, from + Math.max(1, word ? word[0].length : 1)) };
}

export function diagnostics(state: EditorState, markers: Marker[]): Diagnostic[] {
  return markers.map((m) => {
    const r = rangeOf(state, m);
    // An empty line still gets a marker a user can see: CodeMirror shows zero-width ranges as a point.
    return { from: r.from, to: r.to, severity: 'error', message: m.message };
  });
}

/**
 * CodeMirror 6 with DRL highlighting. Loaded lazily (its own chunk), so the first load of the app
 * does not carry the editor. Markers come from /api/rules/validate, not from a client-side linter.
 */
export default function CodeEditor({ value, onChange, markers, label, readOnly = false, language = 'drl' }: {
  value: string; onChange: (v: string) => void; markers: Marker[]; label: string; readOnly?: boolean; language?: 'drl' | 'plain';
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const ro = useRef(new Compartment());

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          language === 'drl' ? drlLanguage : [],
          lintGutter(),
          ro.current.of(EditorState.readOnly.of(readOnly)),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changeRef.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    // A long file scrolls; the scroller must be reachable by keyboard even when the content is read only.
    v.scrollDOM.tabIndex = 0;
    v.scrollDOM.setAttribute('aria-label', label);
    view.current = v;
    return () => v.destroy();
    // The editor is created once per file; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch({ effects: ro.current.reconfigure(EditorState.readOnly.of(readOnly)) });
  }, [readOnly]);

  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnostics(v.state, markers)));
  }, [markers, value]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
