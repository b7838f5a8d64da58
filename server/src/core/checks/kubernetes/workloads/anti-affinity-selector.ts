import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import { keyRangeAt } from '../../../documents/yaml/kubernetes';
import type { Check, Fix } from '../../../types';
import { insertUnder, replaceValue } from '../yaml-edit';
import { haWorkloads, identifyingLabels, selectorOf, selects, spreadTerms } from './helpers';

const WHAT = { required: 'required podAntiAffinity term', preferred: 'preferred podAntiAffinity term', spread: 'topologySpreadConstraint' } as const;

export const antiAffinitySelector: Check<KubernetesModel> = {
  id: 'kubernetes/anti-affinity-selector',
  scope: 'region',
  defaultSeverity: 'warning',
  docs: {
    title: "An anti-affinity term or spread constraint does not select the pod's own labels",
    summary:
      "Pod anti-affinity and topology spread count the pods their `labelSelector` matches. When the selector does not match the labels of the workload's own pods (a typo, a label renamed in the template but not in the rule, a missing selector), the rule keeps replicas away from nothing and they can all be scheduled on one node.\n\n" +
      "Make the selector match the pod template's labels — usually the same `matchLabels` as the workload's `spec.selector`. `matchExpressions` are evaluated the way the API server does (`In`, `NotIn`, `Exists`, `DoesNotExist`).",
    bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels:\n                  app: wbe\n              topologyKey: kubernetes.io/hostname\n      containers:\n        - name: web\n          image: nginx\n',
    good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n                matchLabels:\n                  app: web\n              topologyKey: kubernetes.io/hostname\n      containers:\n        - name: web\n          image: nginx\n',
  },
  check(ctx) {
    const text = ctx.model.file.text;
    for (const w of haWorkloads(ctx.model)) {
      const labels = identifyingLabels(w);
      const terms = spreadTerms(w);
      // A term aimed at other pods (keep away from another app) is fine when another term of its kind spreads the workload itself.
      const spreadsItself = (spread: boolean) => terms.some((t) => (t.source === 'spread') === spread && selects(selectorOf(t.term.labelSelector), w.podLabels));
      const covered = { anti: spreadsItself(false), spread: spreadsItself(true) };
      for (const t of terms) {
        const selector = selectorOf(t.term.labelSelector);
        if (selects(selector, w.podLabels) || (selector && covered[t.source === 'spread' ? 'spread' : 'anti'])) continue;
        const fixes: Fix[] = [];
        if (Object.keys(labels).length > 0) {
          const wanted = { matchLabels: labels };
          const edit = selector ? replaceValue(w.doc, text, [...t.path, 'labelSelector'], wanted) : insertUnder(w.doc, text, t.path, { labelSelector: wanted });
          if (edit) fixes.push({ title: `Select the pod's labels (${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ')})`, edits: [edit], preferred: true });
        }
        const range = selector ? keyRangeAt(w.doc, [...t.path, 'labelSelector']) : keyRangeAt(w.doc, [...t.path, 'topologyKey']);
        ctx.report({
          ...range,
          message: selector
            ? `This ${WHAT[t.source]}'s labelSelector does not match the labels of the ${w.doc.kind}'s own pods, so it spreads nothing. Select the pod template's labels instead.`
            : `This ${WHAT[t.source]} has no labelSelector, so it matches no pods and spreads nothing. Add a labelSelector matching the pod template's labels.`,
          fixes,
        });
      }
    }
  },
};
