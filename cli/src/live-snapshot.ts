// `hatopo check --live`: the clusters named on the command line, read once into the snapshot the
// engine's drift checks read (and, for Kubernetes, the CRDs the cluster serves).
import type { LiveSnapshot, LiveTargetFact } from '../../server/src/core';
import type { EndpointSpec } from '../../live/src/connect';
import type { ClusterState } from '../../live/src/model';
import { checkSplitBrain } from '../../live/src/split-brain';
import { readAll } from '../../live/src/watch-loop';
import { mask } from '../../live/src/secrets';
import type { EndpointValues } from './endpoint-options';
import { connect, endpointSpecs, timeoutOf } from './endpoint-options';
import type { Output } from './output';

export interface LiveRequest {
  specs: EndpointSpec[];
  timeoutMs: number;
}

/** The clusters --live names, checked before anything is read: a mistake is a usage error. */
export function liveRequest(values: EndpointValues): LiveRequest {
  return { specs: endpointSpecs(values, 'check'), timeoutMs: timeoutOf(values, 'check') };
}

export interface LiveRead {
  snapshot: LiveSnapshot;
  /** Some cluster could not be read: the check cannot say the files match it. */
  unreadable: boolean;
}

const WRITABILITY = new Set(['split-brain', 'writable-replica', 'split-brain-unchecked']);

/**
 * A Patroni cluster asked again with the members the files describe that it no longer lists: an
 * agent that died long enough ago is gone from the cluster, while its PostgreSQL may still take
 * writes. Its files say where that PostgreSQL listens.
 */
async function withFileMembers(state: ClusterState, targets: readonly LiveTargetFact[], timeoutMs: number): Promise<ClusterState> {
  const listed = new Set(state.members.map((m) => m.name));
  const remembered = targets.flatMap((t) => (t.kind === 'patroni' && t.cluster === state.name && t.name && t.dataAddress && !listed.has(t.name) ? [{ name: t.name, address: t.dataAddress }] : []));
  if (remembered.length === 0) return state;
  // The provider's own verdict on writability is made again, over every member this time.
  const fresh = { ...state, problems: state.problems.filter((p) => !WRITABILITY.has(p.code)) };
  return checkSplitBrain(fresh, { credentials: {}, timeoutMs, remembered });
}

/** Reads every cluster once; `targets` are what the files checked say of live clusters. Messages go to `io`, masked. */
export async function readLive(request: LiveRequest, io: Output, targets: readonly LiveTargetFact[]): Promise<LiveRead> {
  const { specs, timeoutMs } = request;
  const { providers, secrets, close } = await connect(specs, io);
  try {
    const read = await readAll(providers, { timeoutMs }, secrets);
    const writableChecked = specs.some((s) => s.kind === 'patroni' && s.checkWritable);
    const clusters = await Promise.all(read.map((c) => (writableChecked && c.kind === 'patroni' && c.error === undefined ? withFileMembers(c, targets, timeoutMs) : c)));
    for (const c of clusters) if (c.error !== undefined) io.err(`hatopo: cannot read ${c.kind} ${c.source}: ${mask(c.error, secrets)}; its drift checks are skipped\n`);
    const snapshot: LiveSnapshot = { clusters };
    const kube = specs.flatMap((s) => (s.kind === 'kubernetes' ? [s] : []));
    if (kube.length) {
      const { listServedCrds } = await import('../../live/src/providers/kubernetes');
      const lists = await Promise.all(
        kube.map((s) =>
          listServedCrds({ context: s.context, timeoutMs }).catch((err: unknown) => {
            io.err(`hatopo: cannot list the CRDs of context ${s.context}: ${mask(err instanceof Error ? err.message : String(err), secrets)}\n`);
            return [];
          }),
        ),
      );
      snapshot.servedCrds = lists.flat();
    }
    return { snapshot, unreadable: clusters.some((c) => c.error !== undefined) };
  } finally {
    await close();
  }
}
