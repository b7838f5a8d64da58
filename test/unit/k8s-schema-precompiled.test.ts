import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import type { ErrorObject } from 'ajv';
import { parseAllDocuments } from 'yaml';
import type { JsonSchema } from '../../server/src/core/schema/json-schema';
import { createSchemaRegistry, precompiledPath } from '../../server/src/core/schema/registry';
import { compileSchema } from '../../server/src/core/schema/validate';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import { fixtureFiles, readFixture } from '../helpers/fixtures';

const schemasDir = join(resolve(__dirname, '..', '..'), 'schemas');

function index(folder: 'generated' | 'kubernetes'): Record<string, string> {
  return JSON.parse(readFileSync(join(schemasDir, folder, 'index.json'), 'utf8')) as Record<string, string>;
}

const keys = [...Object.keys(index('generated')), ...Object.keys(index('kubernetes'))];

/** Values to validate: every document of the kind in `texts`, and copies broken in the usual ways. */
function samples(apiVersion: string, kind: string, texts: string[]): unknown[] {
  const out: unknown[] = [];
  for (const text of texts) {
    for (const doc of parseAllDocuments(text, { merge: true })) {
      if (!('toJS' in doc) || doc.errors.length) continue;
      const v = doc.toJS() as Record<string, unknown> | null;
      if (v?.apiVersion === apiVersion && v.kind === kind) out.push(v);
    }
  }
  const base = (out[0] as Record<string, unknown> | undefined) ?? { apiVersion, kind, metadata: { name: 'x' }, spec: {} };
  const spec = (base.spec ?? {}) as Record<string, unknown>;
  const broken: unknown[] = [
    { ...base, spec: { ...spec, instances: 'three', replicas: 'two', numberOfInstances: [], clusterSize: {} } },
    { ...base, spec: { ...spec, unknownField: 1, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 7 }] } } } },
    { ...base, metadata: 'not a mapping' },
    { apiVersion, kind },
    [],
    'text',
  ];
  return [...out, ...broken];
}

const brief = (errors: ErrorObject[] | null | undefined) => (errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.schemaPath} ${JSON.stringify(e.params)}`).sort();

test('every bundled schema comes with a validator compiled at build time, and the registry uses it', () => {
  const registry = createSchemaRegistry({ schemasDir });
  for (const key of keys) {
    const [apiVersion, kind] = key.split(' ');
    assert.ok(registry.schemaFor(apiVersion, kind), key);
  }
  assert.equal(registry.loadedFiles, keys.length);
  assert.equal(registry.precompiledFiles, keys.length, 'run `npm run build`: some bundled schema has no precompiled validator');
});

/** Both validators of each bundled kind, made once: compiling the large CRDs at run time is slow. */
const validators = new Map<string, { precompiled: ReturnType<typeof compileSchema>; runtime: ReturnType<typeof compileSchema> }>();
let shared: ReturnType<typeof createSchemaRegistry> | undefined;
function validatorsOf(key: string) {
  let v = validators.get(key);
  if (!v) {
    const [apiVersion, kind] = key.split(' ');
    shared ??= createSchemaRegistry({ schemasDir });
    const schema = shared.schemaFor(apiVersion, kind)!.schema;
    // A structural copy is a different object: compileSchema compiles it with ajv now.
    v = { precompiled: compileSchema(schema), runtime: compileSchema(structuredClone(schema) as JsonSchema) };
    validators.set(key, v);
  }
  return v;
}

/** Validates the samples of every bundled kind with both validators; asserts they agree. */
function compareValidators(texts: string[]): { compared: number; withErrors: number } {
  let compared = 0;
  let withErrors = 0;
  for (const key of keys) {
    const [apiVersion, kind] = key.split(' ');
    const { precompiled, runtime } = validatorsOf(key);
    assert.notEqual(precompiled, runtime);
    for (const value of samples(apiVersion, kind, texts)) {
      const a = precompiled(value);
      const aErrors = brief(precompiled.errors);
      const b = runtime(value);
      assert.equal(a, b, key);
      assert.deepEqual(aErrors, brief(runtime.errors), key);
      compared++;
      if (!a) withErrors++;
    }
  }
  return { compared, withErrors };
}

test('a precompiled validator gives exactly the errors of a validator compiled at run time', () => {
  const { compared, withErrors } = compareValidators(fixtureFiles('kubernetes').map(readFixture));
  assert.ok(compared > keys.length * 6, `compared ${compared}`);
  assert.ok(withErrors >= keys.length * 4, `with errors ${withErrors}`);
});

test('a precompiled validator gives exactly the errors of a validator compiled at run time, on every corpus document', { skip: corpusSkip }, () => {
  const { compared } = compareValidators(corpusFiles('kubernetes').map(readCorpus));
  assert.ok(compared > keys.length * 6 + 50, `compared ${compared}`);
});

test('a stale precompiled validator (schema edited after the build) is not used', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-precompiled-'));
  try {
    const rel = index('kubernetes')['policy/v1 PodDisruptionBudget'];
    const copy = (from: string, to: string) => {
      mkdirSync(dirname(to), { recursive: true });
      copyFileSync(from, to);
    };
    copy(join(schemasDir, 'patroni.schema.json'), join(dir, 'patroni.schema.json'));
    mkdirSync(join(dir, 'generated'), { recursive: true });
    writeFileSync(join(dir, 'generated', 'index.json'), '{}');
    mkdirSync(join(dir, 'kubernetes'), { recursive: true });
    writeFileSync(join(dir, 'kubernetes', 'index.json'), JSON.stringify({ 'policy/v1 PodDisruptionBudget': rel }));
    copy(join(schemasDir, 'generated', precompiledPath('core', rel)), join(dir, 'generated', precompiledPath('core', rel)));
    // The unchanged file is served by its precompiled validator...
    copy(join(schemasDir, 'kubernetes', rel), join(dir, 'kubernetes', rel));
    const fresh = createSchemaRegistry({ schemasDir: dir });
    assert.ok(fresh.schemaFor('policy/v1', 'PodDisruptionBudget'));
    assert.equal(fresh.precompiledFiles, 1);
    // ...an edited one is compiled from its own text.
    const schema = JSON.parse(readFileSync(join(schemasDir, 'kubernetes', rel), 'utf8')) as JsonSchema;
    schema.description = 'edited by hand';
    writeFileSync(join(dir, 'kubernetes', rel), JSON.stringify(schema));
    const registry = createSchemaRegistry({ schemasDir: dir });
    const match = registry.schemaFor('policy/v1', 'PodDisruptionBudget');
    assert.ok(match);
    assert.equal(registry.precompiledFiles, 0);
    assert.equal(compileSchema(match.schema)({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { minAvailable: [] } }), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
