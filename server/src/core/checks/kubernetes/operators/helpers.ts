import type { KubeDocument, KubernetesModel } from '../../../documents/yaml/kubernetes';
import { keyRangeAt, valueAt, valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { PathSegment } from '../../../documents/yaml/yaml-document';
import type { Fix, TextEdit } from '../../../types';
import { insertUnder, replaceScalar } from '../yaml-edit';

/** The API group of a document (`postgresql.cnpg.io` of `postgresql.cnpg.io/v1`). */
export function groupOf(doc: KubeDocument): string | undefined {
  const slash = doc.apiVersion?.indexOf('/') ?? -1;
  return slash > 0 ? doc.apiVersion!.slice(0, slash) : undefined;
}

/** The documents of a file that declare `kind` of `group`, whatever the version. */
export function resourcesOf(model: KubernetesModel, group: string, kind: string): KubeDocument[] {
  return model.documents.filter((d) => d.kind === kind && groupOf(d) === group);
}

/** An integer written at `path`; undefined when absent or not an integer (the schema check reports those). */
export function intAt(doc: KubeDocument, path: readonly PathSegment[]): number | undefined {
  const v = valueAt(doc, path);
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d{1,9}\s*$/.test(v)) return Number(v);
  return undefined;
}

export const isWritten = (doc: KubeDocument, path: readonly PathSegment[]): boolean => {
  const v = valueAt(doc, path);
  return v !== undefined && v !== null;
};

/** `Cluster "pg"` for messages. */
export function label(doc: KubeDocument): string {
  return doc.name !== undefined ? `${doc.kind} "${doc.name}"` : String(doc.kind);
}

/** Where a diagnostic about a value goes: the value when written, else the resource's name. */
export function rangeOf(doc: KubeDocument, path: readonly PathSegment[]): { start: number; end: number } {
  if (valueAt(doc, path) !== undefined) return valueRangeAt(doc, path);
  return doc.name !== undefined ? valueRangeAt(doc, ['metadata', 'name']) : keyRangeAt(doc, ['kind']);
}

/** An edit that writes `value` at `path`: in place when a scalar is there, else as a new key under the parent. */
export function setEdit(doc: KubeDocument, text: string, path: readonly PathSegment[], value: string | number | boolean): TextEdit | undefined {
  if (valueAt(doc, path) !== undefined) return replaceScalar(doc, path, value);
  return insertUnder(doc, text, path.slice(0, -1), { [String(path[path.length - 1])]: value });
}

/**
 * One fix setting several values. Keys under the same missing parent are inserted together so
 * the edits never overlap; undefined when some value cannot be written safely.
 */
export function setValuesFix(doc: KubeDocument, text: string, title: string, parent: readonly PathSegment[], values: Record<string, string | number | boolean>): Fix | undefined {
  const edits: TextEdit[] = [];
  const missing: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(values)) {
    if (valueAt(doc, [...parent, key]) === undefined) {
      missing[key] = value;
      continue;
    }
    if (valueAt(doc, [...parent, key]) === value) continue;
    const edit = replaceScalar(doc, [...parent, key], value);
    if (!edit) return undefined;
    edits.push(edit);
  }
  if (Object.keys(missing).length > 0) {
    const edit = insertUnder(doc, text, parent, missing);
    if (!edit) return undefined;
    edits.push(edit);
  }
  return edits.length > 0 ? { title, edits, preferred: true } : undefined;
}
