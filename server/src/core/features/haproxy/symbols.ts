import type { HaproxyModel, Section } from '../../documents/haproxy';
import type { OutlineKind, OutlineSymbol } from '../../types';

function kindOf(s: Section): OutlineKind {
  if (s.type === 'global' || s.type === 'defaults') return 'namespace';
  if (s.type === 'frontend' || s.type === 'backend' || s.type === 'listen') return 'class';
  return 'module';
}

export function symbols(model: HaproxyModel): OutlineSymbol[] {
  return model.sections.map((s) => {
    const head = s.header.tokens[0];
    const sel = s.name ?? head;
    const children: OutlineSymbol[] = [];
    for (const l of s.lines) {
      if (l.keyword === 'server' || l.keyword === 'server-template' || l.keyword === 'peer') {
        const name = l.args[0];
        if (!name) continue;
        children.push({ name: name.text, detail: l.args[1]?.text, kind: 'object', start: l.tokens[0].start, end: l.tokens[l.tokens.length - 1].end, selectionStart: name.start, selectionEnd: name.end });
      } else if (l.keyword === 'bind') {
        const addr = l.args[0];
        if (!addr) continue;
        children.push({ name: addr.text, detail: 'bind', kind: 'property', start: l.tokens[0].start, end: l.tokens[l.tokens.length - 1].end, selectionStart: addr.start, selectionEnd: addr.end });
      }
    }
    return {
      name: s.name?.text ?? s.type,
      detail: s.type,
      kind: kindOf(s),
      start: s.start,
      end: Math.max(s.end, s.header.end),
      selectionStart: sel.start,
      selectionEnd: sel.end,
      children: children.length > 0 ? children : undefined,
    };
  });
}
