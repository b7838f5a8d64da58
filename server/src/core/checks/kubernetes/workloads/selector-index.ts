// Which workloads a selector selects, and which budgets select a workload, without comparing every
// budget with every workload: both sides are indexed by namespace and by label, once per list (the
// workspace's lists change only with its version), and a query tests only the candidates the index
// gives with `selects`, the API server's own rule.
import type { LabelSelector, PdbFact, WorkloadFact } from '../../../types';
import { selects } from './helpers';

const pair = (key: string, value: string): string => `${key}\0${value}`;
const namespaceOf = (ns: string | undefined): string => ns ?? 'default';

interface Labelled<T> {
  item: T;
  /** Its place in the list, to give answers in the list's order. */
  at: number;
  labels: Record<string, string>;
}

interface Namespace<T> {
  all: Labelled<T>[];
  byPair: Map<string, Labelled<T>[]>;
  byKey: Map<string, Labelled<T>[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Things with labels (workloads by their pod labels), by namespace, label key and label pair. */
export class LabelIndex<T> {
  private readonly namespaces = new Map<string, Namespace<T>>();

  constructor(items: readonly T[], namespace: (item: T) => string | undefined, labels: (item: T) => Record<string, string>) {
    items.forEach((item, at) => {
      const ns = namespaceOf(namespace(item));
      let entry = this.namespaces.get(ns);
      if (!entry) this.namespaces.set(ns, (entry = { all: [], byPair: new Map(), byKey: new Map() }));
      const l: Labelled<T> = { item, at, labels: labels(item) };
      entry.all.push(l);
      for (const [k, v] of Object.entries(l.labels)) {
        push(entry.byPair, pair(k, v), l);
        push(entry.byKey, k, l);
      }
    });
  }

  /** Everything of namespace `ns` (a missing one is "default"). */
  count(ns: string | undefined): number {
    return this.namespaces.get(namespaceOf(ns))?.all.length ?? 0;
  }

  /** What `selector` selects in namespace `ns`, in the list's order; nothing for a missing selector. */
  selectedBy(ns: string | undefined, selector: LabelSelector | undefined): T[] {
    const entry = this.namespaces.get(namespaceOf(ns));
    if (!entry || !selector) return [];
    // The smallest set one of the selector's requirements narrows it to; every answer is in it.
    let best: { size: number; lists: Labelled<T>[][] } = { size: entry.all.length, lists: [entry.all] };
    const consider = (lists: Labelled<T>[][]) => {
      const size = lists.reduce((n, l) => n + l.length, 0);
      if (size < best.size) best = { size, lists };
    };
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) consider([entry.byPair.get(pair(k, v)) ?? []]);
    for (const e of selector.matchExpressions ?? []) {
      if (e.operator === 'Exists') consider([entry.byKey.get(e.key) ?? []]);
      // Each thing has one value per key: the lists of distinct values never overlap.
      if (e.operator === 'In') consider([...new Set(e.values ?? [])].map((v) => entry.byPair.get(pair(e.key, v)) ?? []));
    }
    const candidates = best.lists.length === 1 ? best.lists[0] : best.lists.flat();
    const union = best.lists.length > 1;
    const found = candidates.filter((c) => selects(selector, c.labels));
    if (union) found.sort((a, b) => a.at - b.at);
    return found.map((c) => c.item);
  }
}

interface IndexedPdb {
  pdb: PdbFact;
  at: number;
}

/** PodDisruptionBudgets by namespace and by one label pair their selector requires. */
export class PdbIndex {
  /** namespace → label pair → the budgets that require it (each budget under one pair only). */
  private readonly byPair = new Map<string, Map<string, IndexedPdb[]>>();
  /** namespace → budgets that require no label pair (an empty selector, expressions only). */
  private readonly others = new Map<string, IndexedPdb[]>();

  constructor(pdbs: readonly PdbFact[]) {
    pdbs.forEach((pdb, at) => {
      // A missing selector selects nothing.
      if (!pdb.selector) return;
      const ns = namespaceOf(pdb.namespace);
      const first = Object.entries(pdb.selector.matchLabels ?? {})[0];
      if (!first) return push(this.others, ns, { pdb, at });
      let pairs = this.byPair.get(ns);
      if (!pairs) this.byPair.set(ns, (pairs = new Map()));
      push(pairs, pair(first[0], first[1]), { pdb, at });
    });
  }

  /** The budgets of namespace `ns` that select pods labelled `labels`, in the list's order. */
  selecting(ns: string | undefined, labels: Record<string, string>): PdbFact[] {
    const key = namespaceOf(ns);
    const pairs = this.byPair.get(key);
    const candidates: IndexedPdb[] = [...(this.others.get(key) ?? [])];
    // A budget filed under k=v can select these pods only if they carry k=v: each is found once.
    if (pairs) for (const [k, v] of Object.entries(labels)) for (const c of pairs.get(pair(k, v)) ?? []) candidates.push(c);
    return candidates
      .filter((c) => selects(c.pdb.selector, labels))
      .sort((a, b) => a.at - b.at)
      .map((c) => c.pdb);
  }
}

const workloadIndexes = new WeakMap<readonly WorkloadFact[], { length: number; index: LabelIndex<WorkloadFact> }>();
const pdbIndexes = new WeakMap<readonly PdbFact[], { length: number; index: PdbIndex }>();

/** The index of a list of workload facts (the workspace's, which is a new list at each version), built once. */
export function workloadIndex(workloads: readonly WorkloadFact[]): LabelIndex<WorkloadFact> {
  const known = workloadIndexes.get(workloads);
  if (known && known.length === workloads.length) return known.index;
  const index = new LabelIndex(workloads, (w) => w.namespace, (w) => w.podLabels);
  workloadIndexes.set(workloads, { length: workloads.length, index });
  return index;
}

/** The index of a list of budget facts, built once. */
export function pdbIndex(pdbs: readonly PdbFact[]): PdbIndex {
  const known = pdbIndexes.get(pdbs);
  if (known && known.length === pdbs.length) return known.index;
  const index = new PdbIndex(pdbs);
  pdbIndexes.set(pdbs, { length: pdbs.length, index });
  return index;
}
