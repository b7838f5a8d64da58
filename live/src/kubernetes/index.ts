// The entry of dist/kubernetes.js: everything that needs @kubernetes/client-node, loaded by
// live/src/providers/kubernetes.ts on first use so that nothing else pays for the library.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { ClusterState } from '../model';
import { unreachable } from '../model';
import type { ReadOptions } from '../provider';
import { DEFAULT_TIMEOUT_MS } from '../provider';
import { mask } from '../secrets';
import { callOptions, closePool, describeFailure } from './calls';
import type { KubernetesOptions } from './options';
import { readOperators } from './read';
import type { KubeSession } from './session';
import { KubeconfigError, openSession } from './session';
import { watchOperators } from './watch';

export type { KubernetesOptions } from './options';
export type { KubeActionOptions, KubeActionSpec } from './actions';
export { cnpgActionSpec, crunchySwitchoverSpec } from './actions';
export type { PodPort, PodProxyOptions } from './pod-proxy';
export { openPodProxy, zalandoPatroniPods } from './pod-proxy';
export type { CnpgAction, CnpgActionOptions, CrunchySwitchoverOptions } from './action-preflight';
export { cnpgPreflight, crunchySwitchoverPreflight } from './action-preflight';

export interface KubernetesReader {
  read(options: ReadOptions): Promise<ClusterState[]>;
  watch(changed: () => void): () => void;
  close(): Promise<void>;
}

/** What a provider shows as its source before the kubeconfig is read. */
export function sourceLabel(options: KubernetesOptions): string {
  return `kube-context ${options.context ?? '(current)'}${options.namespace ? ` namespace ${options.namespace}` : ''}`;
}

/** The kubeconfig files in play and their modification times: a session is reused while they are unchanged. */
function fingerprint(options: KubernetesOptions): string {
  const given = options.kubeconfig ?? process.env.KUBECONFIG;
  const files = given ? (Array.isArray(given) ? given : given.split(delimiter)) : [join(homedir(), '.kube', 'config')];
  return files.map((f) => `${f}@${statSafe(f)}`).join(delimiter);
}

function statSafe(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function message(err: unknown, secrets: readonly string[]): string {
  if (err instanceof KubeconfigError) return err.message;
  return mask(err instanceof Error ? err.message : String(err), secrets);
}

/** A reader of one context (and namespace): reads on demand, watches on request. */
export function createReader(options: KubernetesOptions): KubernetesReader {
  let cached: { key: string; session: Promise<KubeSession> } | undefined;
  const session = (): Promise<KubeSession> => {
    const key = fingerprint(options);
    if (!cached || cached.key !== key) {
      if (cached) void cached.session.then((old) => closePool(old.pool), () => undefined);
      const opened = openSession(options);
      cached = { key, session: opened };
      // A kubeconfig that failed to load is tried again next time, not remembered.
      opened.catch(() => {
        if (cached?.session === opened) cached = undefined;
      });
    }
    return cached.session;
  };
  const stops = new Set<() => void>();
  return {
    async read(ro: ReadOptions): Promise<ClusterState[]> {
      const now = ro.now ?? (() => new Date());
      const label = sourceLabel(options);
      let s: KubeSession;
      try {
        s = await session();
      } catch (err) {
        return [unreachable('kubernetes', label, label, message(err, []), now())];
      }
      const signal = ro.signal ? AbortSignal.any([AbortSignal.timeout(ro.timeoutMs), ro.signal]) : AbortSignal.timeout(ro.timeoutMs);
      try {
        return await readOperators({ session: s, signal, timeoutMs: ro.timeoutMs, observedAt: now().toISOString() });
      } catch (err) {
        const f = describeFailure(err, new URL(s.server).host, ro.timeoutMs, s.secrets, signal);
        return [unreachable('kubernetes', s.source, s.source, mask(f.message, s.secrets), now())];
      }
    },
    watch(changed: () => void): () => void {
      const stop = watchOperators(session, changed, { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
      stops.add(stop);
      return () => {
        stops.delete(stop);
        stop();
      };
    },
    async close(): Promise<void> {
      for (const stop of stops) stop();
      stops.clear();
      const last = cached;
      cached = undefined;
      if (last) await last.session.then((s) => closePool(s.pool), () => undefined);
    },
  };
}

/**
 * The CustomResourceDefinitions the cluster serves (at least one version served), as the API server
 * returns them minus metadata.managedFields: for the language server to validate custom resources
 * against the cluster's own schemas. Rejects with a worded message when they cannot be read.
 */
export async function listCrds(options: KubernetesOptions): Promise<object[]> {
  const s = await openSession(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const custom = s.kc.makeApiClient(s.k8s.CustomObjectsApi);
  let list: { items?: Array<{ metadata?: Record<string, unknown>; spec?: { versions?: Array<{ served?: boolean }> } }> };
  try {
    // Through the custom-objects client: it hands back the JSON as served, where the typed one renames schema keys.
    list = (await custom.listClusterCustomObject({ group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' }, callOptions(s.k8s, signal, s.pool))) as typeof list;
  } catch (err) {
    throw new Error(describeFailure(err, new URL(s.server).host, timeoutMs, s.secrets, signal).message);
  } finally {
    await closePool(s.pool);
  }
  return (list.items ?? [])
    .filter((crd) => (crd.spec?.versions ?? []).some((v) => v.served))
    .map((crd) => {
      const { managedFields: _drop, ...metadata } = crd.metadata ?? {};
      return { ...crd, metadata };
    });
}
