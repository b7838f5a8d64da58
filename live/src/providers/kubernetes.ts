// Kubernetes operator clusters (CloudNativePG, Zalando, Crunchy, OT Redis) through
// @kubernetes/client-node. The library is several megabytes, so everything that uses it is a
// bundle of its own, dist/kubernetes.js, loaded here on first use: activating the extension and
// `hatopo check` never load it. Only types are imported from it below.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { unreachable } from '../model';
import type { ClusterState } from '../model';
import type { Provider, ReadOptions } from '../provider';
import type * as KubernetesSupport from '../kubernetes/index';
import type { KubernetesOptions } from '../kubernetes/options';

export type { KubernetesOptions } from '../kubernetes/options';

type Support = typeof KubernetesSupport;

let support: Promise<Support> | undefined;

/**
 * Loads the Kubernetes support: dist/kubernetes.js beside the running bundle (a CommonJS module,
 * required like the bundle itself), or, when this file runs from source (tests under tsx), the
 * source module. The paths are computed so that esbuild leaves them alone instead of inlining
 * the library into the bundle that imports this file.
 */
export function loadKubernetesSupport(): Promise<Support> {
  support ??= (async () => {
    if (__filename.endsWith('.ts')) return (await import(pathToFileURL(join(__dirname, '..', 'kubernetes', 'index.ts')).href)) as Support;
    return createRequire(__filename)(join(__dirname, 'kubernetes.js')) as Support;
  })().catch((err: unknown) => {
    support = undefined;
    throw err;
  });
  return support;
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Reads the operators' clusters of one kubeconfig context: one state per cluster resource, read() never rejects. */
export function kubernetesProvider(options: KubernetesOptions): Provider {
  const source = `kube-context ${options.context ?? '(current)'}${options.namespace ? ` namespace ${options.namespace}` : ''}`;
  let reader: Promise<KubernetesSupport.KubernetesReader> | undefined;
  const get = () => {
    reader ??= loadKubernetesSupport().then((m) => m.createReader(options));
    reader.catch(() => {
      reader = undefined;
    });
    return reader;
  };
  return {
    kind: 'kubernetes',
    source,
    async read(ro: ReadOptions): Promise<ClusterState[]> {
      try {
        return await (await get()).read(ro);
      } catch (err) {
        return [unreachable('kubernetes', source, source, `Kubernetes support could not be loaded: ${reason(err)}`, (ro.now ?? (() => new Date()))())];
      }
    },
    watch(changed: () => void): () => void {
      let stopped = false;
      let stop: (() => void) | undefined;
      get().then(
        (r) => {
          if (!stopped) stop = r.watch(changed);
        },
        () => undefined,
      );
      return () => {
        stopped = true;
        stop?.();
      };
    },
    async close(): Promise<void> {
      if (reader) await (await reader.catch(() => undefined))?.close();
    },
  };
}

/**
 * The CustomResourceDefinitions the cluster of the context serves, as plain JSON objects: handed to
 * the language server so that custom resources validate against the cluster's own schemas.
 * Rejects with a message that names the API server, never a credential.
 */
export async function listServedCrds(options: KubernetesOptions): Promise<object[]> {
  return (await loadKubernetesSupport()).listCrds(options);
}
