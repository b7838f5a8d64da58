import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { createEngine, DEFAULT_SETTINGS } from '../../server/src/core';
import type { Diagnostic } from '../../server/src/core';
import { createSchemaChecks } from '../../server/src/core/checks/kubernetes/schema';
import type { SchemaLookup } from '../../server/src/core/checks/kubernetes/schema';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import { kubernetesFacts } from '../../server/src/core/documents/yaml/kubernetes-facts';
import { kubernetesIncremental } from '../../server/src/core/documents/yaml/kubernetes-regions';
import { FORMATS } from '../../server/src/core/formats';
import type { CrdFact, FormatSupport } from '../../server/src/core/types';
import { corpusFiles, corpusSkip, corpusSkipFor, leftOutCount, readCorpus } from '../helpers/corpus';

const read = readCorpus;
const parse = (uri: string, text: string) => parseKubernetes({ uri, text, kind: 'kubernetes' }, DEFAULT_SETTINGS);

/**
 * The operators' own CRDs from the corpus (crds/), served by group/version/kind as the schema
 * registry serves its bundled operator schemas. The registry (server/src/core/schema/registry.ts)
 * is used as well when it exists.
 */
function corpusCrdLookup(): { lookup: SchemaLookup; crds: CrdFact[] } {
  const crds = corpusFiles('crds').flatMap((rel) => kubernetesFacts(parse(`file:///corpus/${rel}`, read(rel))).crds);
  const registryPath = resolve(__dirname, '..', '..', 'server', 'src', 'core', 'schema', 'registry.ts');
  let registry: SchemaLookup | undefined;
  if (existsSync(registryPath)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(registryPath) as { createSchemaRegistry?: (o: { schemasDir: string }) => SchemaLookup };
    registry = mod.createSchemaRegistry?.({ schemasDir: resolve(__dirname, '..', '..', 'schemas') });
  }
  const lookup: SchemaLookup = {
    schemaFor(apiVersion, kind, more) {
      const found = registry?.schemaFor(apiVersion, kind, more);
      if (found) return found;
      for (const c of crds) for (const v of c.versions) if (`${c.group}/${v.name}` === apiVersion && c.kind === kind) return { schema: v.schema as never, source: 'operator', origin: c.uri };
      return undefined;
    },
  };
  return { lookup, crds };
}

/** Error-severity diagnostics the real API server would also give, with the reason. */
const EXPECTED_ERRORS: Record<string, Array<{ code: string; line: number; why: string }>> = {
  'kubernetes/k8s-examples_cockroachdb-statefulset.yaml': [{ code: 'kubernetes/deprecated-api', line: 56, why: 'policy/v1beta1 PodDisruptionBudget, removed in Kubernetes 1.25' }],
  'kubernetes/zalando-spilo_spilok8s_petset.yaml': [{ code: 'kubernetes/deprecated-api', line: 0, why: 'apps/v1alpha1 PetSet, gone since Kubernetes 1.5 (now StatefulSet)' }],
};

test('every corpus manifest parses into documents with apiVersion and kind, without YAML errors', { skip: corpusSkip }, () => {
  const files = corpusFiles('kubernetes');
  assert.ok(files.length >= 79 - leftOutCount('kubernetes'), `expected the 79 corpus manifests, found ${files.length}`);
  for (const rel of files) {
    const m = parse(`file:///corpus/${rel}`, read(rel));
    assert.ok(m.documents.length > 0, `${rel}: no document`);
    for (const d of m.documents) {
      assert.deepEqual(d.yaml.errors, [], `${rel}: YAML errors`);
      // The OpenShift template is itself a Template object; every document names its kind.
      assert.ok(d.apiVersion && d.kind, `${rel}: a document without apiVersion/kind at offset ${d.start}`);
    }
  }
});

test('no error on the operators\' own samples against their own CRDs; the obsolete objects get kubernetes/deprecated-api', { skip: corpusSkip }, () => {
  const { lookup } = corpusCrdLookup();
  const errors: string[] = [];
  const format = { ...FORMATS.kubernetes, checks: createSchemaChecks(lookup), incremental: kubernetesIncremental } as unknown as FormatSupport<unknown>;
  const engine = createEngine({ formats: { kubernetes: format }, logger: { info: () => undefined, error: (m) => errors.push(m) } });
  let validated = 0;
  for (const rel of corpusFiles('kubernetes')) {
    const text = read(rel);
    for (const d of parse(`file:///corpus/${rel}`, text).documents) if (d.apiVersion && d.kind && lookup.schemaFor(d.apiVersion, d.kind)) validated++;
    const diags: Diagnostic[] = engine.validate({ uri: `file:///corpus/${rel}`, text }, DEFAULT_SETTINGS);
    const got = diags.filter((x) => x.severity === 'error').map((x) => ({ code: x.code, line: x.range.start.line }));
    const expected = (EXPECTED_ERRORS[rel] ?? []).map(({ code, line }) => ({ code, line }));
    assert.deepEqual(got, expected, `${rel}:\n${diags.map((x) => `  ${x.range.start.line} ${x.severity} ${x.code} ${x.message}`).join('\n')}`);
    assert.equal(diags.filter((x) => x.code === 'kubernetes/syntax').length, 0, rel);
  }
  assert.deepEqual(errors, [], 'no check failed internally (a schema that does not compile, say)');
  // The operators' CRs really were validated: 28 CNPG, 8 Zalando, 9 Crunchy, 14 OT samples.
  assert.ok(validated >= 55, `only ${validated} documents had a schema`);
});

const MUTATED = ['kubernetes/cnpg_cluster-example.yaml', 'kubernetes/zalando-postgres-operator_minimal-postgres-manifest.yaml', 'kubernetes/ot-redis-operator_redis-sentinel.yaml'];

test('a wrong value in a real operator sample is caught by the operator\'s own CRD', { skip: corpusSkipFor(...MUTATED) }, () => {
  const { lookup } = corpusCrdLookup();
  const format = { ...FORMATS.kubernetes, checks: createSchemaChecks(lookup) } as unknown as FormatSupport<unknown>;
  const engine = createEngine({ formats: { kubernetes: format } });
  const cases: Array<[string, string, string, string, number]> = [
    ['kubernetes/cnpg_cluster-example.yaml', 'instances: 3', 'instances: "3"', 'kubernetes/schema', 5],
    ['kubernetes/zalando-postgres-operator_minimal-postgres-manifest.yaml', 'numberOfInstances: 2', 'numberOfInstances: two', 'kubernetes/schema', 8],
    ['kubernetes/ot-redis-operator_redis-sentinel.yaml', 'clusterSize: 3', 'clusterSiez: 3', 'kubernetes/unknown-field', 6],
  ];
  for (const [rel, from, to, code, line] of cases) {
    const text = read(rel).replace(from, to);
    assert.notEqual(text, read(rel));
    const hit = engine.validate({ uri: `file:///mutated/${rel}`, text }).find((d) => d.code === code);
    assert.ok(hit, `${rel}: expected ${code}`);
    assert.equal(hit.range.start.line, line);
  }
});

const CONTROLLERS = ['kubernetes/k8s-examples_redis-controller.yaml', 'kubernetes/k8s-examples_redis-sentinel-controller.yaml'];

test('ReplicationControllers (still served by v1) are not reported as deprecated', { skip: corpusSkipFor(...CONTROLLERS) }, () => {
  const engine = createEngine();
  for (const rel of CONTROLLERS) {
    const diags = engine.validate({ uri: `file:///corpus/${rel}`, text: read(rel) });
    assert.equal(diags.filter((d) => d.code === 'kubernetes/deprecated-api').length, 0, rel);
  }
});
