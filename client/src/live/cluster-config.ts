// The `hatopo.clusters` setting read defensively: wrong items are skipped with a warning, and
// credentials typed into an endpoint are dropped (settings are plain text, often committed).
// No `vscode` import: unit-tested from plain Node.
import type { ClusterConfig, ClusterTls } from '../../../live/src/discovery';
import type { SystemKind } from '../../../live/src/model';

export const KINDS: readonly SystemKind[] = ['patroni', 'sentinel', 'haproxy', 'postgres', 'kubernetes'];

export interface ClusterSettings {
  clusters: ClusterConfig[];
  /** One sentence per item skipped or changed; never quotes a secret. */
  warnings: string[];
}

/** `kind:name`: what a connection, its credentials and its settings entry are known by. */
export const connectionId = (c: Pick<ClusterConfig, 'kind' | 'name'>): string => `${c.kind}:${c.name}`;

const URL_WITH_USERINFO = /^([a-z][\w+.-]*:\/\/)([^/?#@]*)@/i;
// libpq key=value password, and a URI's ?password= parameter.
const CONNINFO_PASSWORD = /(^|\s)password\s*=\s*('(?:[^'\\]|\\.)*'|\S*)/gi;
const QUERY_PASSWORD = /([?&])password=[^&#]*&?/gi;

/** The endpoint without credentials, and whether there were any. */
export function stripCredentials(endpoint: string): { endpoint: string; stripped: boolean } {
  let out = endpoint.trim();
  let stripped = false;
  if (URL_WITH_USERINFO.test(out)) {
    // A user name alone is no secret, but it is dropped too: credentials are set in one place.
    out = out.replace(URL_WITH_USERINFO, '$1');
    stripped = true;
  }
  const noConninfo = out.replace(CONNINFO_PASSWORD, '$1').replace(/\s{2,}/g, ' ').trim();
  const noQuery = noConninfo.replace(QUERY_PASSWORD, '$1').replace(/[?&]$/, '');
  if (noQuery !== out) {
    out = noQuery;
    stripped = true;
  }
  return { endpoint: out, stripped };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function readTls(v: unknown): ClusterTls | undefined {
  if (!isRecord(v)) return undefined;
  const tls: ClusterTls = {};
  for (const k of ['ca', 'cert', 'key'] as const) {
    const path = text(v[k]);
    if (path) tls[k] = path;
  }
  if (typeof v.verify === 'boolean') tls.verify = v.verify;
  return Object.keys(tls).length ? tls : undefined;
}

/** Reads the setting's value: valid items as ClusterConfig, the rest explained in `warnings`. */
export function readClusterSettings(raw: unknown): ClusterSettings {
  const clusters: ClusterConfig[] = [];
  const warnings: string[] = [];
  if (raw === undefined || raw === null) return { clusters, warnings };
  if (!Array.isArray(raw)) return { clusters, warnings: ['hatopo.clusters must be a list of clusters; it is ignored.'] };
  const seen = new Set<string>();
  for (const [i, item] of raw.entries()) {
    const where = `hatopo.clusters item ${i + 1}`;
    if (!isRecord(item)) {
      warnings.push(`${where} is not an object; it is skipped.`);
      continue;
    }
    const name = text(item.name);
    const kind = KINDS.find((k) => k === item.kind);
    if (!name) {
      warnings.push(`${where} has no name; it is skipped.`);
      continue;
    }
    if (!kind) {
      warnings.push(`${where} (${name}): kind must be one of ${KINDS.join(', ')}; it is skipped.`);
      continue;
    }
    const endpoints: string[] = [];
    for (const e of Array.isArray(item.endpoints) ? item.endpoints : []) {
      if (typeof e !== 'string' || e.trim() === '') continue;
      const clean = stripCredentials(e);
      if (clean.stripped) warnings.push(`${where} (${name}): an endpoint held credentials; they were ignored. Use "HA Topology: Set Credentials…" to keep them in the secret storage, and remove them from the settings file.`);
      endpoints.push(clean.endpoint);
    }
    if (endpoints.length === 0 && kind !== 'kubernetes') {
      warnings.push(`${where} (${name}) has no endpoints; it is skipped.`);
      continue;
    }
    const config: ClusterConfig = { name, kind, endpoints };
    const master = text(item.master);
    if (master && kind === 'sentinel') config.master = master;
    const context = text(item.context);
    if (context && kind === 'kubernetes') config.context = context;
    const namespace = text(item.namespace);
    if (namespace && kind === 'kubernetes') config.namespace = namespace;
    const tls = readTls(item.tls);
    if (tls) config.tls = tls;
    const id = connectionId(config);
    if (seen.has(id)) {
      warnings.push(`${where}: a second ${kind} cluster named ${name}; it is skipped.`);
      continue;
    }
    seen.add(id);
    clusters.push(config);
  }
  return { clusters, warnings };
}

/** The item to write into the setting for a connection: only the fields it uses. */
export function settingsItem(c: ClusterConfig): Record<string, unknown> {
  const item: Record<string, unknown> = { name: c.name, kind: c.kind, endpoints: c.endpoints.map((e) => stripCredentials(e).endpoint) };
  if (c.master) item.master = c.master;
  if (c.context) item.context = c.context;
  if (c.namespace) item.namespace = c.namespace;
  if (c.tls) item.tls = c.tls;
  return item;
}

/** Whether two connections reach the same cluster: same kind, and the same name or a shared endpoint. */
export function sameCluster(a: ClusterConfig, b: ClusterConfig): boolean {
  if (a.kind !== b.kind) return false;
  if (a.name === b.name) return true;
  if (a.kind === 'kubernetes') return a.context === b.context && a.namespace === b.namespace;
  const norm = (e: string) => e.replace(/\/+$/, '').toLowerCase();
  const mine = new Set(a.endpoints.map(norm));
  return b.endpoints.some((e) => mine.has(norm(e)));
}
