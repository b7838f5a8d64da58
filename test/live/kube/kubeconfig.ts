// Kubeconfig files for the tests, in kubectl's format: CA and client certificates inline (base64
// `-data` fields), so TLS is verified against the replay server's own CA.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigSpec {
  currentContext?: string;
  clusters: Array<{ name: string; server: string; caPem?: string }>;
  users: Array<{ name: string; token?: string; certPem?: string; keyPem?: string }>;
  contexts: Array<{ name: string; cluster: string; user: string; namespace?: string }>;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function writeKubeconfig(file: string, spec: KubeconfigSpec): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    ...(spec.currentContext ? { 'current-context': spec.currentContext } : {}),
    clusters: spec.clusters.map((c) => ({ name: c.name, cluster: { server: c.server, ...(c.caPem ? { 'certificate-authority-data': b64(c.caPem) } : {}) } })),
    users: spec.users.map((u) => ({
      name: u.name,
      user: { ...(u.token ? { token: u.token } : {}), ...(u.certPem ? { 'client-certificate-data': b64(u.certPem) } : {}), ...(u.keyPem ? { 'client-key-data': b64(u.keyPem) } : {}) },
    })),
    contexts: spec.contexts.map((c) => ({ name: c.name, context: { cluster: c.cluster, user: c.user, ...(c.namespace ? { namespace: c.namespace } : {}) } })),
  };
  writeFileSync(file, stringify(doc), { mode: 0o600 });
  return file;
}
