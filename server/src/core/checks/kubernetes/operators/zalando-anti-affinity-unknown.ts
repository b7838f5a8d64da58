import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { label, rangeOf } from './helpers';
import { WHERE_TO_SET, ZALANDO_HEAD, zalandoAntiAffinity, zalandoClusters } from './zalando';

export const zalandoAntiAffinityUnknown: Check<KubernetesModel> = {
  id: 'zalando/anti-affinity-unknown',
  defaultSeverity: 'information',
  docs: {
    title: 'Whether the Zalando operator spreads this cluster\'s pods cannot be known from the workspace',
    summary:
      'The Zalando operator adds pod anti-affinity only when its configuration turns `enable_pod_antiaffinity` on, and it is off by default. When no operator configuration that sets it (an OperatorConfiguration resource or the operator ConfigMap) is part of the workspace, a cluster with several instances may or may not be spread over nodes.\n\n' +
      'Check the operator\'s configuration and set `enable_pod_antiaffinity` to true there; opening the file that holds it in the workspace lets this check verify it.',
    bad: `${ZALANDO_HEAD}  numberOfInstances: 3\n`,
    good: `${ZALANDO_HEAD}  numberOfInstances: 3\n---\napiVersion: acid.zalan.do/v1\nkind: OperatorConfiguration\nmetadata:\n  name: postgresql-operator-configuration\nconfiguration:\n  kubernetes:\n    enable_pod_antiaffinity: true\n`,
  },
  check(ctx) {
    for (const c of zalandoClusters(ctx.model)) {
      if (c.instances === undefined || c.instances < 2) continue;
      if (zalandoAntiAffinity(ctx.workspace.operatorSettings(), ctx.model, c.doc.namespace).known) continue;
      ctx.report({
        ...rangeOf(c.doc, ['spec', 'numberOfInstances']),
        message: `${label(c.doc)} has ${c.instances} instances, but no operator configuration in the workspace sets enable_pod_antiaffinity, which is off by default: the instances may share a node. To spread them, ${WHERE_TO_SET}.`,
      });
    }
  },
};
