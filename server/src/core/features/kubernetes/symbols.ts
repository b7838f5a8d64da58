import { isMap, isSeq } from 'yaml';
import type { KubernetesModel } from '../../documents/yaml/kubernetes';
import { keyName, nodeRange } from '../../documents/yaml/yaml-document';
import type { OutlineKind, OutlineSymbol } from '../../types';

/** One symbol per document (`Kind name`, the namespace as detail) with its top-level keys as children. */
export function kubernetesSymbols(model: KubernetesModel): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  for (const doc of model.documents) {
    const contents = doc.yaml.doc.contents;
    if (!isMap(contents)) continue;
    const body = nodeRange(contents) ?? { start: doc.start, end: doc.end };
    const children: OutlineSymbol[] = [];
    let select: { start: number; end: number } | undefined;
    for (const item of contents.items) {
      const name = keyName(item.key);
      const k = nodeRange(item.key as never);
      if (name === undefined || !k) continue;
      const v = nodeRange(item.value as never);
      const kind: OutlineKind = isMap(item.value) ? 'object' : isSeq(item.value) ? 'array' : 'property';
      children.push({ name, kind, start: k.start, end: Math.max(k.end, v?.end ?? k.end), selectionStart: k.start, selectionEnd: k.end });
      if (name === 'kind') select = v ?? k;
    }
    const sel = select ?? { start: body.start, end: Math.min(body.end, body.start + 1) };
    out.push({
      name: [doc.kind ?? '(no kind)', doc.name].filter(Boolean).join(' '),
      detail: doc.namespace,
      kind: 'class',
      start: body.start,
      end: Math.max(body.end, sel.end),
      selectionStart: sel.start,
      selectionEnd: sel.end,
      children,
    });
  }
  return out;
}
