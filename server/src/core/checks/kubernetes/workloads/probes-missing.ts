import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { keyRangeAt, valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { POD_SPEC, haWorkloads } from './helpers';
import { isDatabaseContainer, isPatroniContainer } from './systems';

export const probesMissing: Check<KubernetesModel> = {
  id: 'kubernetes/probes-missing',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'A database container has no readiness or liveness probe',
    summary:
      'Without a readiness probe, a Service sends traffic to a replica that is still starting, recovering or catching up; without a liveness probe, a hung database process is never restarted. In an HA setup both decide whether clients reach a working member after a failover.\n\n' +
      'Add a `readinessProbe` that succeeds only when the member can serve (for Patroni, `httpGet` on `/readiness` at port 8008) and a `livenessProbe` that detects a hung process without killing a member that is merely busy (generous `failureThreshold` and `periodSeconds`).',
    bad: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n',
    good: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n        - name: redis\n          image: redis:7\n          readinessProbe:\n            exec:\n              command: [redis-cli, ping]\n          livenessProbe:\n            tcpSocket:\n              port: 6379\n',
  },
  check(ctx) {
    for (const w of haWorkloads(ctx.model)) {
      for (const c of w.containers) {
        if (!isDatabaseContainer(c, w)) continue;
        const missing = ['readinessProbe', 'livenessProbe'].filter((p) => c.value[p] === undefined || c.value[p] === null);
        if (missing.length === 0) continue;
        const path = [...POD_SPEC, c.list, c.index, 'name'];
        const range = typeof c.value.name === 'string' ? valueRangeAt(w.doc, path) : keyRangeAt(w.doc, [...POD_SPEC, c.list]);
        const hint = isPatroniContainer(c) ? " Patroni's REST API offers /readiness and /liveness on port 8008." : '';
        ctx.report({
          ...range,
          message: `Database container ${typeof c.value.name === 'string' ? c.value.name : ''} has no ${missing.join(' and no ')}: ${missing.includes('readinessProbe') ? 'Services may route clients to a member that cannot serve' : 'a hung process is never restarted'}. Add ${missing.length === 2 ? 'both probes' : `a ${missing[0]}`}.${hint}`,
        });
      }
    }
  },
};
