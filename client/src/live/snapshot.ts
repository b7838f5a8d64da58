// Small pure helpers of the connection manager. No `vscode` import: unit-tested from plain Node.
import type { ClusterState } from '../../../live/src/model';
import { mask } from '../../../live/src/secrets';

/** A copy of `value` with every secret masked in every string, keys included. */
export function maskDeep<T>(value: T, secrets: readonly string[]): T {
  if (!secrets.length) return value;
  // Copy on write: a state that holds no secret (the usual case, refreshed every few seconds) is
  // returned as it is, and only the objects on the way to a masked string are copied.
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return mask(v, secrets);
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      v.forEach((x, i) => {
        const w = walk(x);
        if (w !== x) (out ??= [...v])[i] = w;
      });
      return out ?? v;
    }
    if (typeof v === 'object' && v !== null) {
      let changed = false;
      const entries = Object.entries(v).map(([k, x]) => {
        const [mk, w] = [mask(k, secrets), walk(x)];
        if (mk !== k || w !== x) changed = true;
        return [mk, w] as const;
      });
      return changed ? Object.fromEntries(entries) : v;
    }
    return v;
  };
  return walk(value) as T;
}

/** What the states say, without when they were read: equal keys mean nothing changed to show. */
export function stateKey(states: readonly ClusterState[]): string {
  // What moves with the clock alone is no change: HAProxy's uptime grows at every read, and its
  // last check's duration (`L4OK in 0ms`, `in 1ms`…) is noise; the check's result is what counts.
  return JSON.stringify(states, (k, v: unknown) => {
    if (k === 'observedAt' || k === 'uptimeSeconds') return undefined;
    if (k === 'lastCheck' && typeof v === 'string') return v.replace(/ in \d+ms$/, '');
    return v;
  });
}

/** The split-brain problems of a connection's states, keyed by connection and cluster. */
export function splitBrainKeys(id: string, states: readonly ClusterState[]): Map<string, { state: ClusterState; message: string }> {
  const out = new Map<string, { state: ClusterState; message: string }>();
  for (const state of states) {
    const p = state.problems.find((x) => x.code === 'split-brain');
    if (p) out.set(`${id}\0${state.name}`, { state, message: p.message });
  }
  return out;
}
