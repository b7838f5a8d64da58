import type { PatroniModel } from '../../documents/yaml/patroni';
import type { Check } from '../../types';

export const syntax: Check<PatroniModel> = {
  id: 'patroni/syntax',
  defaultSeverity: 'error',
  docs: {
    title: 'The file is not valid YAML',
    summary:
      'Patroni refuses to start when its configuration does not parse as YAML. The usual causes are a tab used for indentation, a key indented differently from its siblings, an unclosed quote or bracket, or a `key: value` line inside a list.\n\nIt also reports what stops Patroni before any YAML is read, or PyYAML while reading it: a file that is not UTF-8 (Patroni opens its configuration as UTF-8 text, so a UTF-16 file or bytes that are not UTF-8 stop it with a UnicodeDecodeError; `hatopo check` reports where), a character YAML refuses anywhere, comments included (NUL, other control characters, DEL, U+FFFE, U+FFFF), and nesting deeper than 480 levels (PyYAML stops near 490 with a RecursionError). Lone CR, NEL, LS and PS break lines, as PyYAML reads them.\n\nFix the reported spot; the other checks run again once the file parses.',
    bad: 'scope: demo\nrestapi:\n  listen: 0.0.0.0:8008\n   connect_address: 10.0.0.1:8008\n',
    good: 'scope: demo\nrestapi:\n  listen: 0.0.0.0:8008\n  connect_address: 10.0.0.1:8008\n',
  },
  check(ctx) {
    for (const problems of [ctx.model.yaml.errors, ...ctx.model.yaml.documents.map((d) => d.errors)]) {
      for (const e of problems) {
        if (e.code === 'DUPLICATE_KEY') continue;
        // An error at the very end of the text would be invisible; widen it to the last character.
        const start = e.start === e.end && e.start > 0 && e.start >= ctx.file.text.length ? e.start - 1 : e.start;
        const message = e.sentence ? e.message : `YAML syntax error: ${e.message.replace(/\.?\s*$/, '')}. Fix the YAML so Patroni can read the file.`;
        ctx.report({ start, end: Math.max(e.end, start + 1), message });
      }
    }
  },
};
