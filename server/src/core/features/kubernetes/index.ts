import type { KubernetesModel } from '../../documents/yaml/kubernetes';
import type { FormatSupport } from '../../types';

export const kubernetesFeatures: Pick<FormatSupport<KubernetesModel>, 'complete' | 'hover' | 'symbols'> = {};
