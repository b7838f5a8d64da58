// The Kubernetes API stand-in of the live bench, in a process of its own so that its CPU is not
// counted as the refreshing process's: the replay server of test/live/kube serving the recorded
// operator clusters and their CRDs on 127.0.0.1:PORT, and a kubeconfig with a context per
// namespace. Prints one JSON line `{"kubeconfig": PATH}` once it answers; stops on SIGTERM.
//   node --import tsx test/bench/kube-replay.ts PORT DIR
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { makeCerts } from '../live/kube/certs';
import { writeKubeconfig } from '../live/kube/kubeconfig';
import { CRD_FILES } from '../live/kube/lab';
import type { KubeObject } from '../live/kube/replay-server';
import { ReplayServer } from '../live/kube/replay-server';

const REPO = resolve(__dirname, '..', '..');
const RECORDINGS = join(REPO, 'test', 'live', 'kube', 'recordings');

interface CrdDoc extends KubeObject {
  spec: { group: string; names: { plural: string; kind: string }; scope: string; versions: Array<{ name: string; served: boolean }> };
}

async function main(): Promise<void> {
  const [portText, dir] = process.argv.slice(2);
  const port = Number(portText);
  if (!Number.isInteger(port) || !dir) throw new Error('usage: kube-replay.ts PORT DIR');
  const certs = makeCerts(dir);
  const token = `kb-${randomBytes(18).toString('hex')}`;
  const server = await ReplayServer.start({ port, key: certs.serverKey, cert: certs.serverCert, clientCa: certs.ca, tokens: { [token]: '*' } });
  server.serve({ group: 'apiextensions.k8s.io', versions: ['v1'], plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false });
  for (const file of CRD_FILES) {
    const crd = parse(readFileSync(join(REPO, 'schemas', 'crds', file), 'utf8')) as CrdDoc;
    const { group, names, scope, versions } = crd.spec;
    server.serve({ group, versions: versions.filter((v) => v.served).map((v) => v.name), plural: names.plural, kind: names.kind, namespaced: scope === 'Namespaced' });
    server.put(crd);
  }
  for (const f of readdirSync(RECORDINGS).filter((n) => n.endsWith('.json')).sort()) {
    for (const o of JSON.parse(readFileSync(join(RECORDINGS, f), 'utf8')) as KubeObject[]) server.put(o);
  }
  const kubeconfig = writeKubeconfig(join(dir, 'kubeconfig.yaml'), {
    currentContext: 'all',
    clusters: [{ name: 'replay', server: server.url, caPem: certs.ca }],
    users: [{ name: 'admin', token }],
    contexts: [
      { name: 'all', cluster: 'replay', user: 'admin' },
      { name: 'db', cluster: 'replay', user: 'admin', namespace: 'db' },
      { name: 'cache', cluster: 'replay', user: 'admin', namespace: 'cache' },
    ],
  });
  const stop = () => {
    void server.stop().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  console.log(JSON.stringify({ kubeconfig }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
