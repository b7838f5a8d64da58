import type { NodeLabelFact } from '../../types';
import type { KubeDocument, KubernetesModel } from './kubernetes';
import { isRecord } from './kubernetes';

/** A qualified label key: an optional DNS-subdomain prefix and a name. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * `--node-labels=a=b,c=d` (kubelet flags in args, scripts, systemd drop-ins) and `node-labels: "a=b"`
 * (kubeadm's kubeletExtraArgs, also inside a Kind config's kubeadmConfigPatches strings).
 */
const NODE_LABELS_FLAG = /--node-labels(?:=|[ \t]+)["']?([^\s"']+)|\bnode-labels["']?[ \t]*:[ \t]*["']?([^\s"']+)/g;

/** The keys of a `k=v,k2=v2` list. */
function keysOfList(list: string): string[] {
  return list.split(',').map((item) => item.split('=')[0].trim()).filter((k) => LABEL_KEY.test(k));
}

/** The keys of a label map (Node metadata.labels, a nodeSelector, a Kind node's labels). */
function mapKeys(v: unknown): string[] {
  return isRecord(v) ? Object.keys(v).filter((k) => LABEL_KEY.test(k)) : [];
}

/** Keys of every matchExpressions entry under a nodeAffinity (required terms and preferred ones). */
function affinityKeys(v: unknown, out: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v) affinityKeys(item, out);
  } else if (isRecord(v)) {
    for (const k in v) {
      const val = v[k];
      if (k === 'matchExpressions' && Array.isArray(val)) {
        for (const e of val) if (isRecord(e) && typeof e.key === 'string' && LABEL_KEY.test(e.key)) out.push(e.key);
      } else {
        affinityKeys(val, out);
      }
    }
  }
}

/** Appends item by item: a spread of a very long list overflows the stack. */
function add(out: string[], keys: readonly string[]): void {
  for (const k of keys) out.push(k);
}

/** Walks a document's value for node selectors, node affinity and kubelet node-labels arguments, at any depth. */
function walk(v: unknown, out: string[]): void {
  if (typeof v === 'string') {
    if (!v.includes('node-labels')) return;
    for (const m of v.matchAll(NODE_LABELS_FLAG)) add(out, keysOfList(m[1] ?? m[2]));
  } else if (Array.isArray(v)) {
    for (const item of v) walk(item, out);
  } else if (isRecord(v)) {
    // kubeadm v1beta4 writes extra args as a list of { name, value }.
    if (v.name === 'node-labels' && typeof v.value === 'string') add(out, keysOfList(v.value));
    // for-in: these are plain objects from the YAML reader, and a walk over every value must not allocate.
    for (const k in v) {
      const val = v[k];
      if (k === 'nodeSelector') add(out, mapKeys(val));
      else if (k === 'nodeAffinity') affinityKeys(val, out);
      else if (k === 'node-labels' && typeof val === 'string') add(out, keysOfList(val));
      else walk(val, out);
    }
  }
}

function documentKeys(d: KubeDocument): string[] {
  const v = d.value;
  // A CRD's schema describes nodeSelector and nodeAffinity fields; its property names are no labels.
  if (!isRecord(v) || d.kind === 'CustomResourceDefinition') return [];
  const out: string[] = [];
  if (d.kind === 'Node' && isRecord(v.metadata)) add(out, mapKeys(v.metadata.labels));
  // A Kind cluster config labels its nodes directly.
  if (d.kind === 'Cluster' && d.apiVersion?.startsWith('kind.x-k8s.io/') && Array.isArray(v.nodes)) {
    for (const n of v.nodes) if (isRecord(n)) add(out, mapKeys(n.labels));
  }
  walk(v, out);
  return out;
}

/** The node label keys a manifest file defines or schedules on, each once. */
export function nodeLabelsOf(model: KubernetesModel): NodeLabelFact[] {
  const keys = new Set<string>();
  for (const d of model.documents) for (const k of documentKeys(d)) keys.add(k);
  return [...keys].sort().map((key) => ({ uri: model.file.uri, key }));
}
