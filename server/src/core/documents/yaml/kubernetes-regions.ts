import type { IncrementalSupport, Region } from '../../types';
import type { KubeChunk, KubernetesModel } from './kubernetes';

/** A `---` or `...` marker at `i`: three characters at the start of a line, then a blank or the end. */
function markerAt(text: string, i: number, mark: string): boolean {
  if (!text.startsWith(mark, i)) return false;
  const c = text.charCodeAt(i + 3);
  return Number.isNaN(c) || c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Where the chunks of a manifest start: 0, every line that opens with a `---` marker, and the line
 * after a `...` marker. YAML forbids both markers at the start of a line inside any scalar, so a
 * chunk always parses the same on its own as inside the stream. Linear: one pass over line starts,
 * stopping at `limit` chunks.
 */
export function chunkStarts(text: string, limit = Infinity): number[] {
  if (text.length === 0) return [];
  const starts = [0];
  const add = (o: number) => {
    if (o > starts[starts.length - 1] && o < text.length) starts.push(o);
  };
  for (let i = 0; i < text.length && starts.length < limit; ) {
    const nl = text.indexOf('\n', i);
    const next = nl < 0 ? text.length : nl + 1;
    const c = text.charCodeAt(i);
    if (c === 45 /* - */ && markerAt(text, i, '---')) add(i);
    else if (c === 46 /* . */ && markerAt(text, i, '...')) add(next);
    i = next;
  }
  return starts;
}

/**
 * Regions of a manifest: one per chunk (one `---` document). A document's schema problems depend on
 * nothing but its own text (and the workspace, which the engine watches), so regions have no deps.
 */
export const kubernetesIncremental: IncrementalSupport<KubernetesModel> = {
  regions(model) {
    const chunks = model.chunks ?? [];
    return chunks.map((c): Region => ({ id: c, start: c.start, end: c.end }));
  },

  restrict(model, keep) {
    const chunks: KubeChunk[] = (model.chunks ?? []).filter((c) => keep.has(c));
    return { ...model, chunks, documents: chunks.flatMap((c) => c.documents) };
  },
};
