import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { isRecord, keyRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import type { Container } from './helpers';
import { POD_SPEC, exampleWorkload, haWorkloads } from './helpers';

const spilo = (probes: string): string =>
  exampleWorkload('StatefulSet', 'pg', 3, `containers:\n  - name: postgres\n    image: ghcr.io/zalando/spilo-16:3.2-p2\n    ports:\n      - containerPort: 8008\n${probes}`);
import { isPatroniContainer } from './systems';

const ENDPOINTS: Record<string, readonly string[]> = {
  readinessProbe: ['/readiness', '/health'],
  livenessProbe: ['/liveness'],
};

/** The REST port the container declares for Patroni: 8008 unless PATRONI_RESTAPI_LISTEN says otherwise. */
function restPort(c: Container): number {
  const env = Array.isArray(c.value.env) ? c.value.env.filter(isRecord) : [];
  const listen = env.find((e) => e.name === 'PATRONI_RESTAPI_LISTEN')?.value;
  const m = typeof listen === 'string' ? /:(\d+)$/.exec(listen) : null;
  return m ? Number(m[1]) : 8008;
}

/** A probe's port as a number, resolving a named container port. */
function probePort(c: Container, port: unknown): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port !== 'string') return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  const named = Array.isArray(c.value.ports) ? c.value.ports.filter(isRecord).find((p) => p.name === port) : undefined;
  return named ? Number(named.containerPort) : undefined;
}

export const patroniProbes: Check<KubernetesModel> = {
  id: 'kubernetes/patroni-probes',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: "Patroni pods whose probes do not use Patroni's REST health endpoints",
    summary:
      "Patroni decides whether a member is healthy and whether PostgreSQL should be running. A probe that checks PostgreSQL directly (`pg_isready`, a TCP check on 5432) fails while Patroni is deliberately restarting, rewinding or re-cloning a member, and a liveness probe then kills the pod in the middle of recovery; a readiness probe on `/` (the primary check) marks every replica unready.\n\n" +
      'Probe Patroni\'s REST API with `httpGet` on port 8008: `/readiness` (or `/health`) for readiness, `/liveness` for liveness.',
    bad: spilo('    readinessProbe:\n      exec:\n        command: [pg_isready]\n'),
    good: spilo('    readinessProbe:\n      httpGet:\n        path: /readiness\n        port: 8008\n    livenessProbe:\n      httpGet:\n        path: /liveness\n        port: 8008\n'),
  },
  check(ctx) {
    for (const w of haWorkloads(ctx.model)) {
      for (const c of w.containers) {
        if (!isPatroniContainer(c)) continue;
        const port = restPort(c);
        for (const [probe, paths] of Object.entries(ENDPOINTS)) {
          const p = c.value[probe];
          if (!isRecord(p)) continue;
          const get = isRecord(p.httpGet) ? p.httpGet : undefined;
          const path = typeof get?.path === 'string' ? get.path.split('?')[0] : undefined;
          if (get && path !== undefined && paths.includes(path) && probePort(c, get.port) === port) continue;
          const how = get ? `httpGet ${path ?? '/'} on port ${String(get.port)}` : Object.keys(p).find((k) => ['exec', 'tcpSocket', 'grpc'].includes(k)) ?? 'a probe';
          ctx.report({
            ...keyRangeAt(w.doc, [...POD_SPEC, c.list, c.index, probe]),
            message: `The ${probe} of Patroni container ${String(c.value.name ?? '')} uses ${how} instead of Patroni's REST API; it can ${probe === 'livenessProbe' ? 'kill a member while Patroni is recovering it' : 'mark healthy replicas unready or unhealthy ones ready'}. Use httpGet ${paths.join(' or ')} on port ${port}.`,
          });
        }
      }
    }
  },
};
