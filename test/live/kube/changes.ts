// Changes the tests make to the replay server's objects, as the operators would make them; each
// change pushes a watch event, and restore() puts the originals back.
import type { KubeLab } from './lab';
import type { KubeObject } from './replay-server';

type Labels = Record<string, string>;
type PodStatus = { conditions?: Array<{ type: string; status: string }>; containerStatuses?: Array<{ ready: boolean }> };

export function changes(lab: KubeLab) {
  const saved = new Map<string, KubeObject>();
  const change = (apiVersion: string, kind: string, ns: string, name: string, fn: (o: KubeObject) => void) => {
    const key = `${apiVersion} ${kind} ${ns}/${name}`;
    if (!saved.has(key)) saved.set(key, structuredClone(lab.server.get(apiVersion, kind, ns, name)));
    lab.server.update(apiVersion, kind, ns, name, fn);
  };
  return {
    labels: (ns: string, pod: string, labels: Labels) => change('v1', 'Pod', ns, pod, (o) => Object.assign((o.metadata.labels ??= {}), labels)),
    ready: (ns: string, pod: string, ready: boolean) =>
      change('v1', 'Pod', ns, pod, (o) => {
        const st = o.status as PodStatus;
        for (const c of st.conditions ?? []) if (c.type === 'Ready' || c.type === 'ContainersReady') c.status = ready ? 'True' : 'False';
        for (const c of st.containerStatuses ?? []) c.ready = ready;
      }),
    status: (apiVersion: string, kind: string, ns: string, name: string, fields: Record<string, unknown>) => change(apiVersion, kind, ns, name, (o) => Object.assign((o.status ??= {}) as object, fields)),
    restore: () => {
      for (const o of saved.values()) lab.server.put(o);
      saved.clear();
    },
  };
}
