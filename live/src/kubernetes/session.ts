// The client library and a kubeconfig resolved as kubectl resolves it: the files of KUBECONFIG
// merged, one context, one namespace (or all of them), and the secrets any message must not show.
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import type * as K8s from '@kubernetes/client-node';
import { withoutCredentials } from '../secrets';
import type { SharedPool } from './calls';
import type * as ClientNodeModule from './client-node.mjs';
import type { KubernetesOptions } from './options';

export type ClientNode = typeof ClientNodeModule;

let clientNode: Promise<ClientNode> | undefined;

/**
 * The library, imported on first use. A dynamic import keeps it an ES module when this file runs
 * from source; in the bundle esbuild inlines it.
 */
export function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('./client-node.mjs').catch((err: unknown) => {
    clientNode = undefined;
    throw err;
  });
  return clientNode;
}

export interface KubeSession {
  k8s: ClientNode;
  kc: K8s.KubeConfig;
  context: string;
  /** The API server's URL, credentials removed. */
  server: string;
  /** The namespace to read; undefined: every namespace the credentials can list. */
  namespace?: string;
  /** What the states name as their source: the API server and the context. */
  source: string;
  /** Token, password and client key of the context's user: masked out of every message. */
  secrets: string[];
  /** The connections the session's calls share. */
  pool: SharedPool;
}

/** A kubeconfig that cannot be used: no file, no such context, not YAML. The message names files and contexts, never credentials. */
export class KubeconfigError extends Error {}

function files(options: KubernetesOptions): string[] | undefined {
  const given = options.kubeconfig ?? process.env.KUBECONFIG;
  if (given === undefined || given.length === 0) return undefined;
  const list = Array.isArray(given) ? given : given.split(delimiter);
  return list.filter((f) => f.length > 0);
}

function loadOne(k8s: ClientNode, file: string): K8s.KubeConfig {
  const one = new k8s.KubeConfig();
  try {
    one.loadFromFile(file);
  } catch (err) {
    // js-yaml's own message quotes the lines around the error, which may hold a token: keep its reason only.
    const e = err as { reason?: string; code?: string; mark?: { line?: number } };
    const why = e.reason ? `${e.reason}${e.mark?.line !== undefined ? ` (line ${e.mark.line + 1})` : ''}` : (e.code ?? 'unreadable');
    throw new KubeconfigError(`kubeconfig ${file} could not be read: ${why}`);
  }
  return one;
}

/**
 * Merges kubeconfig files the way kubectl does: files that do not exist are skipped, the first
 * file to set current-context wins, and so does the first cluster, user or context of a name.
 * (client-node's loadFromDefault lets the last file's current-context win and throws on a name
 * defined twice; kubectl users expect kubectl's rules.)
 */
export function mergeKubeconfigs(k8s: ClientNode, paths: string[]): K8s.KubeConfig {
  const present = paths.filter((p) => existsSync(p));
  if (present.length === 0) throw new KubeconfigError(`no kubeconfig file found (${paths.join(delimiter)})`);
  const clusters: K8s.Cluster[] = [];
  const users: K8s.User[] = [];
  const contexts: K8s.Context[] = [];
  let current = '';
  for (const file of present) {
    const one = loadOne(k8s, file);
    current ||= one.getCurrentContext() ?? '';
    for (const c of one.getClusters()) if (!clusters.some((x) => x.name === c.name)) clusters.push(c);
    for (const u of one.getUsers()) if (!users.some((x) => x.name === u.name)) users.push(u);
    for (const c of one.getContexts()) if (!contexts.some((x) => x.name === c.name)) contexts.push(c);
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({ clusters, users, contexts, currentContext: current });
  return kc;
}

function secretsOf(user: K8s.User | null): string[] {
  if (!user) return [];
  const out = [user.token, user.password, user.keyData].filter((s): s is string => typeof s === 'string' && s.length > 0);
  // The key travels base64-encoded in the file and decoded on the wire: either form is a leak.
  if (user.keyData) out.push(Buffer.from(user.keyData, 'base64').toString('utf8').trim());
  return out;
}

/** Loads the kubeconfig and picks the context and namespace; throws KubeconfigError when they cannot be used. */
export async function openSession(options: KubernetesOptions): Promise<KubeSession> {
  const k8s = await loadClientNode();
  const paths = files(options);
  let kc: K8s.KubeConfig;
  if (paths) kc = mergeKubeconfigs(k8s, paths);
  else {
    kc = new k8s.KubeConfig();
    kc.loadFromDefault();
  }
  const context = options.context ?? kc.getCurrentContext();
  if (!context) throw new KubeconfigError('the kubeconfig has no current-context: name one');
  const ctx = kc.getContextObject(context);
  if (!ctx) {
    const known = kc.getContexts().map((c) => c.name);
    throw new KubeconfigError(`no context '${context}' in the kubeconfig${known.length ? ` (contexts: ${known.join(', ')})` : ''}`);
  }
  kc.setCurrentContext(context);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeconfigError(`context '${context}' names cluster '${ctx.cluster}', which the kubeconfig does not define`);
  const server = withoutCredentials(cluster.server);
  const namespace = options.namespace ?? (ctx.namespace || undefined);
  return { k8s, kc, context, server, namespace, source: `${server} (context ${context})`, secrets: secretsOf(kc.getCurrentUser()), pool: { kc } };
}
