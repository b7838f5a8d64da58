import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { Check } from '../../../types';

export const schemaChecks: Check<KubernetesModel>[] = [];
