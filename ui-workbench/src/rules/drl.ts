import { StreamLanguage, type StringStream } from '@codemirror/language';

const KEYWORDS = new Set(('package import global function query rule when then end declare extends salience no-loop lock-on-active ' +
  'agenda-group activation-group ruleflow-group dialect date-effective date-expires enabled duration timer calendars ' +
  'attributes template not exists forall from collect accumulate over eval and or in matches memberOf contains soundslike ' +
  'insert insertLogical update modify retract delete new this null true false if else return').split(' '));

interface State { comment: boolean }

/** DRL (and the DSL/DSLR files that expand into it) for CodeMirror: keywords, strings, comments, numbers, annotations. */
export const drlLanguage = StreamLanguage.define<State>({
  name: 'drl',
  startState: () => ({ comment: false }),
  token(stream: StringStream, state: State) {
    if (state.comment) {
      if (stream.skipTo('*/')) { stream.next(); stream.next(); state.comment = false; } else stream.skipToEnd();
      return 'comment';
    }
    if (stream.eatSpace()) return null;
    if (stream.match('//') || stream.match('#')) { stream.skipToEnd(); return 'comment'; }
    if (stream.match('/*')) { state.comment = true; return 'comment'; }
    const ch = stream.peek();
    if (ch === '"' || ch === "'") {
      const quote = stream.next();
      let escaped = false, c: string | void;
      while ((c = stream.next()) !== undefined) {
        if (c === quote && !escaped) break;
        escaped = !escaped && c === '\\';
      }
      return 'string';
    }
    if (ch === '@') { stream.next(); stream.eatWhile(/[\w]/); return 'meta'; }
    if (ch === '$') { stream.next(); stream.eatWhile(/[\w]/); return 'variableName'; }
    if (stream.match(/^-?\d+(\.\d+)?[BbLl]?/)) return 'number';
    if (stream.match(/^[A-Za-z_][\w-]*/)) {
      const word = stream.current();
      if (KEYWORDS.has(word)) return 'keyword';
      return /^[A-Z]/.test(word) ? 'typeName' : 'variableName';
    }
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } } },
});
