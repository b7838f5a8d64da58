import { createSchemaChecks } from '../../server/src/core/checks/kubernetes/schema';
import type { SchemaLookup } from '../../server/src/core/checks/kubernetes/schema';
import { kubernetesIncremental } from '../../server/src/core/documents/yaml/kubernetes-regions';
import { FORMATS } from '../../server/src/core/formats';
import type { FormatSupport } from '../../server/src/core/types';

// Inline schemas standing in for the schema registry, shared by the Kubernetes schema, parse and feature tests.

/** A custom resource with a closed spec, and a core kind, standing in for the schema registry. */
export const WIDGET_SCHEMA = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, description: 'How many widgets.', default: 1 },
        mode: { type: 'string', enum: ['fast', 'safe'], description: 'How widgets run.' },
        enablePodAntiAffinity: { type: 'boolean' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    },
  },
};

export const SERVICE_SCHEMA = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: { type: 'object', additionalProperties: { type: 'string' } } } },
    spec: { type: 'object', properties: { type: { type: 'string', enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] }, ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } } } },
  },
};

export const testLookup: SchemaLookup = {
  schemaFor(apiVersion, kind, crds) {
    if (apiVersion === 'example.com/v1' && kind === 'Widget') return { schema: WIDGET_SCHEMA, source: 'operator', origin: 'test widget CRD' };
    if (apiVersion === 'v1' && kind === 'Service') return { schema: SERVICE_SCHEMA, source: 'core', origin: 'test core schema' };
    const crd = crds?.find((c) => `${c.group}/${c.versions[0]?.name}` === apiVersion && c.kind === kind);
    if (crd) return { schema: crd.versions[0].schema as never, source: 'workspace', origin: crd.uri };
    return undefined;
  },
};

export function testFormat(): FormatSupport<unknown> {
  return { ...FORMATS.kubernetes, checks: createSchemaChecks(testLookup), incremental: kubernetesIncremental } as unknown as FormatSupport<unknown>;
}

