import { isRecord } from '../../../documents/yaml/kubernetes';
import type { Container, HaWorkload } from './helpers';

/** A clustered system recognisable from a pod template. */
export interface SystemKind {
  name: string;
  /** Members vote (a majority must stay up), so the member count and co-location matter. */
  quorum: boolean;
}

interface Signature {
  name: string;
  image: RegExp;
  label: RegExp;
  ports: number[];
  quorum: boolean;
}

// Patroni elects its leader through a DCS; its pods vote among themselves only with the built-in Raft DCS.
const SIGNATURES: readonly Signature[] = [
  { name: 'etcd', image: /(^|\/)etcd[:@-]|(^|\/)etcd$/, label: /^etcd$/, ports: [2379, 2380], quorum: true },
  { name: 'ZooKeeper', image: /zookeeper|(^|\/)(k8s)?zk[:@]|kubernetes-zookeeper/, label: /^(zookeeper|zk)$/, ports: [2181, 2888, 3888], quorum: true },
  { name: 'Consul', image: /(^|\/)consul[:@]|(^|\/)consul$/, label: /^consul(-server)?$/, ports: [8300, 8301], quorum: true },
  { name: 'Redis Sentinel', image: /sentinel/, label: /sentinel/, ports: [26379], quorum: true },
  { name: 'Patroni', image: /(^|\/)(spilo|patroni)[^/]*([:@]|$)/, label: /^(patroni|spilo)$/, ports: [8008], quorum: false },
];

const DATABASE = /postgres|patroni|spilo|redis|mysql|mariadb|percona|pxc|galera|etcd|mongo|zookeeper|cassandra|cockroach|valkey|keydb|consul|timescale|citus/;

const envNames = (c: Record<string, unknown>): string[] => (Array.isArray(c.env) ? c.env.filter(isRecord).map((e) => String(e.name ?? '')) : []);

function ports(c: Record<string, unknown>): number[] {
  return Array.isArray(c.ports) ? c.ports.filter(isRecord).map((p) => Number(p.containerPort)).filter(Number.isFinite) : [];
}

const image = (c: Record<string, unknown>): string => (typeof c.image === 'string' ? c.image.toLowerCase() : '');

function appLabels(w: HaWorkload): string[] {
  const keys = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/component', 'component', 'application', 'role', 'name'];
  return keys.map((k) => w.podLabels[k]).filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
}

/** Whether a container runs Patroni: an image, a PATRONI_* variable or Patroni's REST port. */
export function isPatroniContainer(c: Container): boolean {
  return /(^|\/)(spilo|patroni)/.test(image(c.value)) || envNames(c.value).some((n) => n.startsWith('PATRONI_')) || ports(c.value).includes(8008);
}

function usesPatroniRaft(w: HaWorkload): boolean {
  return w.containers.some((c) => envNames(c.value).some((n) => n.startsWith('PATRONI_RAFT_')));
}

/** The clustered system the workload runs, when it is one this project knows. */
export function systemOf(w: HaWorkload): SystemKind | undefined {
  const labels = appLabels(w);
  for (const s of SIGNATURES) {
    const hit =
      w.containers.some((c) => s.image.test(image(c.value)) || ports(c.value).some((p) => s.ports.includes(p))) ||
      labels.some((l) => s.label.test(l)) ||
      (s.name === 'Patroni' && w.containers.some(isPatroniContainer));
    if (hit) return { name: s.name === 'Patroni' && usesPatroniRaft(w) ? 'Patroni (Raft)' : s.name, quorum: s.quorum || usesPatroniRaft(w) };
  }
  return undefined;
}

/** Systems whose co-located members fail together: the voting ones and Patroni (primary and replicas on one node). */
export function colocationMatters(w: HaWorkload): SystemKind | undefined {
  return systemOf(w);
}

/** Whether a container looks like a database server (by image, or by the pod's app labels). */
export function isDatabaseContainer(c: Container, w: HaWorkload): boolean {
  const img = image(c.value);
  if (/exporter|pgbouncer|metrics|backup/.test(img)) return false;
  if (img) return DATABASE.test(img.split('/').pop() ?? img) || DATABASE.test(img);
  return appLabels(w).some((l) => DATABASE.test(l));
}
