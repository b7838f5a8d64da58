import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';
import { antiAffinityMissing } from './anti-affinity-missing';
import { antiAffinityPreferred } from './anti-affinity-preferred';
import { antiAffinitySelector } from './anti-affinity-selector';
import { patroniProbes } from './patroni-probes';
import { pdbBelowQuorum } from './pdb-below-quorum';
import { pdbBlocksDrain } from './pdb-blocks-drain';
import { pdbMissing } from './pdb-missing';
import { pdbSelectsNothing, pdbTargetUnknown } from './pdb-selects-nothing';
import { probesMissing } from './probes-missing';
import { quorumReplicas } from './quorum-replicas';
import { topologyKey, topologyKeyDeprecated } from './topology-key';

/** HA rules of StatefulSets, Deployments and ReplicaSets with 2+ replicas, and of PodDisruptionBudgets. */
export const workloadChecks: Check<KubernetesModel>[] = [
  antiAffinityMissing,
  antiAffinitySelector,
  antiAffinityPreferred,
  topologyKey,
  topologyKeyDeprecated,
  quorumReplicas,
  pdbMissing,
  pdbSelectsNothing,
  pdbTargetUnknown,
  pdbBlocksDrain,
  pdbBelowQuorum,
  probesMissing,
  patroniProbes,
];
