import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { label, rangeOf } from './helpers';
import { WHERE_TO_SET, ZALANDO_HEAD, zalandoAntiAffinity, zalandoClusters } from './zalando';

export const zalandoAntiAffinityOff: Check<KubernetesModel> = {
  id: 'zalando/anti-affinity-off',
  defaultSeverity: 'warning',
  docs: {
    title: 'The Zalando operator\'s pod anti-affinity is off for a cluster with several instances',
    summary:
      'A `postgresql` resource has no anti-affinity field of its own: the operator adds pod anti-affinity to every cluster only when its configuration has `enable_pod_antiaffinity` on, and the setting is off by default. With it off, the primary and its replicas may all run on one node, and one node failure takes the cluster down even though it looks highly available in review.\n\n' +
      'Turn the setting on in the operator\'s configuration: `configuration.kubernetes.enable_pod_antiaffinity: true` in the OperatorConfiguration resource, or `enable_pod_antiaffinity: "true"` in the operator ConfigMap. This check reads that configuration from the other files of the workspace.',
    bad: `${ZALANDO_HEAD}  numberOfInstances: 3\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: postgres-operator\ndata:\n  docker_image: ghcr.io/zalando/spilo-16:3.2-p3\n  enable_pod_antiaffinity: "false"\n`,
    good: `${ZALANDO_HEAD}  numberOfInstances: 3\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: postgres-operator\ndata:\n  docker_image: ghcr.io/zalando/spilo-16:3.2-p3\n  enable_pod_antiaffinity: "true"\n`,
  },
  check(ctx) {
    for (const c of zalandoClusters(ctx.model)) {
      if (c.instances === undefined || c.instances < 2) continue;
      const state = zalandoAntiAffinity(ctx.workspace.operatorSettings(), ctx.model, c.doc.namespace);
      if (!state.known || state.on) continue;
      const where = state.uri === ctx.file.uri ? 'this file' : state.uri.slice(state.uri.lastIndexOf('/') + 1);
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'numberOfInstances']),
        message: `${label(c.doc)} has ${c.instances} instances but the operator configuration (${where}) leaves enable_pod_antiaffinity off: all instances may run on one node. In the operator configuration, ${WHERE_TO_SET}.`,
      });
    }
  },
};
