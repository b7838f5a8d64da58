import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { valueRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check, NodeLabelFact } from '../../../types';
import { HOSTNAME, REGION, ZONE, exampleWorkload, haWorkloads, spreadTerms } from './helpers';

const withKey = (key: string): string =>
  exampleWorkload('Deployment', 'web', 3, `affinity:\n  podAntiAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector:\n          matchLabels:\n            app: web\n        topologyKey: ${key}\ncontainers:\n  - name: web\n    image: nginx:1.25\n`);

export const DEPRECATED_KEYS: Record<string, string> = {
  'failure-domain.beta.kubernetes.io/zone': ZONE,
  'failure-domain.beta.kubernetes.io/region': REGION,
  'beta.kubernetes.io/instance-type': 'node.kubernetes.io/instance-type',
};

const WELL_KNOWN = new Set([HOSTNAME, ZONE, REGION]);

const keySets = new WeakMap<readonly NodeLabelFact[], { length: number; keys: ReadonlySet<string> }>();

/** The keys of the workspace's node labels, made once per list (a new list at each workspace version), not once per file. */
function nodeLabelKeys(labels: readonly NodeLabelFact[]): ReadonlySet<string> {
  const known = keySets.get(labels);
  if (known && known.length === labels.length) return known.keys;
  const keys = new Set(labels.map((l) => l.key));
  keySets.set(labels, { length: labels.length, keys });
  return keys;
}

export const topologyKey: Check<KubernetesModel> = {
  id: 'kubernetes/topology-key',
  scope: 'region',
  defaultSeverity: 'information',
  docs: {
    title: 'A topologyKey that is neither a well-known node label nor one the workspace defines',
    summary:
      'Anti-affinity and spread constraints group nodes by the value of the `topologyKey` label. Nodes that do not carry the label are treated as outside every domain: a required anti-affinity term then no longer separates replicas on them, and a spread constraint ignores them. Kubernetes sets `kubernetes.io/hostname` on every node; cloud providers set `topology.kubernetes.io/zone` and `topology.kubernetes.io/region`.\n\n' +
      'A custom key (a rack label, say) is accepted when some file of the workspace puts it on nodes or schedules on it: a Node manifest\'s labels, a `nodeSelector` or node-affinity key, a kubelet `--node-labels` flag, kubeadm\'s `node-labels` argument or a Kind node\'s `labels`. Otherwise check that every node carries it, or use one of the well-known labels.',
    bad: withKey('hostname'),
    good: withKey(HOSTNAME),
  },
  check(ctx) {
    let defined: ReadonlySet<string> | undefined;
    for (const w of haWorkloads(ctx.model)) {
      for (const t of spreadTerms(w)) {
        const key = t.term.topologyKey;
        if (typeof key !== 'string' || WELL_KNOWN.has(key) || key in DEPRECATED_KEYS) continue;
        defined ??= nodeLabelKeys(ctx.workspace.nodeLabels());
        if (defined.has(key)) continue;
        // Only a bare word is taken for a typo; a prefixed key is somebody's own node label.
        const bare = key.includes('/') ? '' : key.toLowerCase();
        const guess = bare === 'hostname' || bare === 'host' ? HOSTNAME : bare === 'zone' ? ZONE : bare === 'region' ? REGION : undefined;
        const files = ctx.workspace.fileCount;
        const searched = files <= 1 ? 'this file (the only manifest known; open the folder to search the workspace)' : `the ${files} manifest files known in the workspace`;
        ctx.report({
          ...valueRangeAt(w.doc, [...t.path, 'topologyKey']),
          message: `"${key}" is not a well-known node label, and no Node label, nodeSelector, node affinity or kubelet --node-labels in ${searched} defines it; nodes without it are outside every topology domain, so this rule may not spread replicas. ${guess ? `Did you mean ${guess}?` : 'Make sure every node carries this label, or use kubernetes.io/hostname or topology.kubernetes.io/zone.'}`,
          fixes: guess ? [{ title: `Use ${guess}`, edits: [{ ...valueRangeAt(w.doc, [...t.path, 'topologyKey']), newText: guess }], preferred: true }] : undefined,
        });
      }
    }
  },
};

export const topologyKeyDeprecated: Check<KubernetesModel> = {
  id: 'kubernetes/topology-key-deprecated',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: 'A topologyKey uses a deprecated failure-domain label',
    summary:
      'The `failure-domain.beta.kubernetes.io/zone` and `failure-domain.beta.kubernetes.io/region` labels were replaced by `topology.kubernetes.io/zone` and `topology.kubernetes.io/region` and are no longer set on nodes by current clusters. A rule keyed on them then sees no topology domain at all and spreads nothing.\n\nUse the `topology.kubernetes.io/*` label.',
    bad: withKey('failure-domain.beta.kubernetes.io/zone'),
    good: withKey(ZONE),
  },
  check(ctx) {
    for (const w of haWorkloads(ctx.model)) {
      for (const t of spreadTerms(w)) {
        const key = t.term.topologyKey;
        if (typeof key !== 'string' || !(key in DEPRECATED_KEYS)) continue;
        const range = valueRangeAt(w.doc, [...t.path, 'topologyKey']);
        const next = DEPRECATED_KEYS[key];
        ctx.report({
          ...range,
          message: `"${key}" is deprecated and not set on nodes by current Kubernetes versions; use ${next}.`,
          fixes: [{ title: `Use ${next}`, edits: [{ ...range, newText: next }], preferred: true }],
        });
      }
    }
  },
};
