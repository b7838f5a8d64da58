// The Kubernetes tests' lab: the replay server on 127.0.0.1:18600 serving the recorded operator
// clusters and the CRDs of their operators (the project's copies in schemas/crds), kubeconfig
// files for each case, and kubectl as the independent reader of what the server holds.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { removeDir, scratchDir } from '../lab/processes';
import { makeCerts } from './certs';
import type { LabCerts } from './certs';
import { writeKubeconfig } from './kubeconfig';
import type { KubeObject, Served } from './replay-server';
import { ReplayServer } from './replay-server';

export const PORT = 18600;
/** Nothing listens here: the "API server down" case. */
export const DOWN_PORT = 18601;

const REPO = resolve(__dirname, '..', '..', '..');
const RECORDINGS = ['cluster-scoped.json', 'cnpg.json', 'zalando.json', 'crunchy.json', 'ot-redis.json'];
/** The operators installed in the lab: their CRDs as published (schemas/crds/SOURCES.md says from where). */
export const CRD_FILES = [
  'cnpg_postgresql.cnpg.io_clusters.yaml',
  'zalando-postgres-operator_postgresql.crd.yaml',
  'crunchy-postgres-operator_postgres-operator.crunchydata.com_postgresclusters.yaml',
  'ot-redis-operator_redis.redis.opstreelabs.in_redisreplications.yaml',
  'ot-redis-operator_redis.redis.opstreelabs.in_redissentinels.yaml',
  'ot-redis-operator_redis.redis.opstreelabs.in_redisclusters.yaml',
];

const CRD_KIND: Served = { group: 'apiextensions.k8s.io', versions: ['v1'], plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false };

export interface KubeLab {
  dir: string;
  server: ReplayServer;
  certs: LabCerts;
  /** Reads everything. */
  token: string;
  /** Reads the `db` namespace only. */
  limitedToken: string;
  /** Reads `db` and `cache`, and may list the namespaces (not pods or resources across them). */
  listerToken: string;
  /** Known to no one: the server answers 401. */
  intruderToken: string;
  /** The CRDs served, as parsed from their files. */
  crds: KubeObject[];
  file(name: string): string;
  stop(): Promise<void>;
}

interface CrdDoc extends KubeObject {
  spec: { group: string; names: { plural: string; kind: string }; scope: string; versions: Array<{ name: string; served: boolean }> };
}

/** The replay server's port and the port where nothing listens; other test files give their own range. */
export interface KubeLabPorts {
  port: number;
  down: number;
}

export async function startKubeLab(ports: KubeLabPorts = { port: PORT, down: DOWN_PORT }): Promise<KubeLab> {
  const dir = scratchDir('kube');
  let server: ReplayServer | undefined;
  try {
    const certs = makeCerts(dir);
    const token = `kt-${randomBytes(18).toString('hex')}`;
    const limitedToken = `kl-${randomBytes(18).toString('hex')}`;
    const listerToken = `kn-${randomBytes(18).toString('hex')}`;
    const intruderToken = `kx-${randomBytes(18).toString('hex')}`;
    server = await ReplayServer.start({
      port: ports.port,
      key: certs.serverKey,
      cert: certs.serverCert,
      clientCa: certs.ca,
      tokens: { [token]: '*', [limitedToken]: { namespaces: ['db'] }, [listerToken]: { namespaces: ['db', 'cache'], cluster: ['namespaces'] } },
    });
    server.serve(CRD_KIND);
    const crds = CRD_FILES.map((f) => parse(readFileSync(join(REPO, 'schemas', 'crds', f), 'utf8')) as CrdDoc);
    for (const crd of crds) {
      const { group, names, scope, versions } = crd.spec;
      server.serve({ group, versions: versions.filter((v) => v.served).map((v) => v.name), plural: names.plural, kind: names.kind, namespaced: scope === 'Namespaced' });
      server.put(crd);
    }
    for (const f of RECORDINGS) for (const o of JSON.parse(readFileSync(join(__dirname, 'recordings', f), 'utf8')) as KubeObject[]) server.put(o);
    const lab: KubeLab = { dir, server, certs, token, limitedToken, listerToken, intruderToken, crds, file: (name) => join(dir, name), stop: () => Promise.resolve() };
    writeFiles(lab, ports);
    const started = server;
    lab.stop = async () => {
      await started.stop();
      removeDir(dir);
    };
    return lab;
  } catch (err) {
    await server?.stop();
    removeDir(dir);
    throw err;
  }
}

function writeFiles(lab: KubeLab, ports: KubeLabPorts): void {
  const server = `https://127.0.0.1:${ports.port}`;
  const ca = lab.certs.ca;
  writeKubeconfig(lab.file('main.yaml'), {
    currentContext: 'lab',
    clusters: [
      { name: 'replay', server, caPem: ca },
      { name: 'down', server: `https://127.0.0.1:${ports.down}`, caPem: ca },
      { name: 'untrusted', server, caPem: lab.certs.otherCa },
    ],
    users: [
      { name: 'admin', token: lab.token },
      { name: 'viewer', token: lab.limitedToken },
      { name: 'lister', token: lab.listerToken },
      { name: 'intruder', token: lab.intruderToken },
      { name: 'cert-admin', certPem: lab.certs.clientCert, keyPem: lab.certs.clientKey },
    ],
    contexts: [
      { name: 'lab', cluster: 'replay', user: 'admin' },
      { name: 'lab-db', cluster: 'replay', user: 'admin', namespace: 'db' },
      { name: 'viewer-db', cluster: 'replay', user: 'viewer', namespace: 'db' },
      { name: 'viewer-all', cluster: 'replay', user: 'viewer' },
      { name: 'lister-all', cluster: 'replay', user: 'lister' },
      { name: 'wrong-token', cluster: 'replay', user: 'intruder' },
      { name: 'down', cluster: 'down', user: 'admin' },
      { name: 'untrusted', cluster: 'untrusted', user: 'admin' },
      { name: 'cert', cluster: 'replay', user: 'cert-admin' },
    ],
  });
  // Two files for KUBECONFIG: the first names a current-context only the second defines; the
  // second names another current-context (kubectl keeps the first file's) and redefines a cluster
  // name the first already has (kubectl keeps the first definition).
  writeKubeconfig(lab.file('first.yaml'), {
    currentContext: 'team-db',
    clusters: [{ name: 'replay', server, caPem: ca }],
    users: [],
    contexts: [],
  });
  writeKubeconfig(lab.file('second.yaml'), {
    currentContext: 'elsewhere',
    clusters: [{ name: 'replay', server: `https://127.0.0.1:${ports.down}`, caPem: ca }],
    users: [{ name: 'admin', token: lab.token }],
    contexts: [
      { name: 'team-db', cluster: 'replay', user: 'admin', namespace: 'db' },
      { name: 'elsewhere', cluster: 'replay', user: 'admin', namespace: 'cache' },
    ],
  });
}

const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
export const kubectlMissing = KUBECTL ? undefined : 'kubectl is not installed (scripts/test-all.sh installs Debian kubernetes-client)';

/** Every secret of the lab, in the forms a leak could take: the tokens, the client key's PEM body and its base64 in the kubeconfig. */
export function secretsOf(lab: KubeLab): string[] {
  const keyBody = lab.certs.clientKey.split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  return [lab.token, lab.limitedToken, lab.listerToken, lab.intruderToken, keyBody, Buffer.from(lab.certs.clientKey).toString('base64').slice(0, 40)];
}

/**
 * Runs kubectl with `env` (KUBECONFIG…) and resolves to its stdout; bounded in time. Asynchronous:
 * the replay server it talks to runs in this process.
 */
export function kubectl(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  if (!KUBECTL) return Promise.reject(new Error(kubectlMissing));
  return new Promise((resolve, reject) => {
    execFile(KUBECTL, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8', timeout: 15_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`kubectl ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
  });
}

/** What the API server returns for `path`, read by kubectl through the kubeconfig (the test's truth). */
export async function kubectlRaw<T>(lab: KubeLab, context: string, path: string): Promise<T> {
  return JSON.parse(await kubectl(['get', '--raw', path, '--context', context], { KUBECONFIG: lab.file('main.yaml') })) as T;
}
