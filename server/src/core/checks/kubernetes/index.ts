import type { KubernetesModel } from '../../documents/yaml/kubernetes';
import type { Check } from '../../types';
import { operatorChecks } from './operators';
import { schemaChecks } from './schema';
import { workloadChecks } from './workloads';

/** Schema checks of every document, HA rules of workloads and PDBs, and each operator's own rules. */
export const kubernetesChecks: Check<KubernetesModel>[] = [...schemaChecks, ...workloadChecks, ...operatorChecks];
