import { defaultSchemaLookup } from '../../checks/kubernetes/schema/default-lookup';
import type { SchemaLookup } from '../../checks/kubernetes/schema/lookup';
import type { KubernetesModel } from '../../documents/yaml/kubernetes';
import type { FormatSupport } from '../../types';
import { completeKubernetes } from './complete';
import { hoverKubernetes } from './hover';
import { kubernetesSymbols } from './symbols';

export type KubernetesFeatures = Pick<FormatSupport<KubernetesModel>, 'complete' | 'hover' | 'symbols'>;

/** Completion, hover and outline of manifests, with the schemas of `lookup` (tests inject their own). */
export function createKubernetesFeatures(lookup: SchemaLookup): KubernetesFeatures {
  return {
    complete: (model, offset, _settings, context) => completeKubernetes(lookup, model, offset, context?.workspace),
    hover: (model, offset, _settings, context) => hoverKubernetes(lookup, model, offset, context?.workspace),
    symbols: (model) => kubernetesSymbols(model),
  };
}

export const kubernetesFeatures: KubernetesFeatures = createKubernetesFeatures(defaultSchemaLookup);
