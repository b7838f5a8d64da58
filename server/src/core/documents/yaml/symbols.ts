import type { Node } from 'yaml';
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { OutlineKind, OutlineSymbol } from '../../types';
import { keyName } from './yaml-document';

function kindOf(node: unknown): OutlineKind {
  if (isMap(node)) return 'module';
  if (isSeq(node)) return 'array';
  if (isScalar(node)) {
    if (typeof node.value === 'number') return 'number';
    if (typeof node.value === 'boolean') return 'boolean';
  }
  return 'string';
}

function detailOf(node: unknown): string | undefined {
  if (isScalar(node) && node.value !== null) {
    const s = String(node.value);
    return s.length > 60 ? s.slice(0, 57) + '…' : s;
  }
  if (isSeq(node)) return `${node.items.length} item${node.items.length === 1 ? '' : 's'}`;
  return undefined;
}

/** Outline of a YAML mapping: keys with children for nested mappings and for mappings inside lists, up to `maxDepth`. */
export function yamlSymbols(node: Node | null | undefined, maxDepth = 6): OutlineSymbol[] {
  if (maxDepth <= 0) return [];
  const out: OutlineSymbol[] = [];
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const name = keyName(item.key);
      const k = (item.key as Node | null)?.range;
      if (name === undefined || !k) continue;
      const v = (item.value as Node | null)?.range;
      const children = isMap(item.value) || isSeq(item.value) ? yamlSymbols(item.value as Node, maxDepth - 1) : [];
      out.push({
        name,
        detail: detailOf(item.value),
        kind: kindOf(item.value),
        start: k[0],
        end: v && v[1] > k[1] ? v[1] : k[1],
        selectionStart: k[0],
        selectionEnd: k[1],
        children: children.length ? children : undefined,
      });
    }
  } else if (isSeq(node)) {
    node.items.forEach((it, i) => {
      const r = (it as Node | null)?.range;
      if (!r || !isMap(it)) return;
      const children = yamlSymbols(it as Node, maxDepth - 1);
      const label = children.find((c) => c.name === 'name')?.detail;
      out.push({ name: label ?? `[${i}]`, kind: 'object', start: r[0], end: r[1], selectionStart: r[0], selectionEnd: r[1], children: children.length ? children : undefined });
    });
  }
  return out;
}
