import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from '../../server/src/core';
import { corpusFiles as filesUnder, corpusSkip, readCorpus } from '../helpers/corpus';
import { engine } from '../helpers/engine';

const OPERATOR_CODE = /^(cnpg|zalando|crunchy|otredis|spotahome)\//;
/** The operators' own published samples, by file-name prefix. */
const SAMPLE_PREFIXES = ['cnpg_', 'zalando-postgres-operator_', 'crunchy-', 'ot-redis-operator_', 'spotahome-redis-operator_'];

/**
 * Samples an operator would reject, with the reason: none. Every published sample was accepted by its
 * operator, so none may get an error from the operator rules.
 */
const REJECTED: Record<string, string> = {};

/**
 * Warnings the published samples get, and why. These samples are demonstrations, not production
 * layouts, so they run a single instance.
 */
const EXPECTED_WARNINGS: Record<string, string[]> = {
  // instances: 1 — a one-pod demo cluster.
  'cnpg_cluster-example-managed-services.yaml': ['cnpg/single-instance'],
  // instances: 1 — a replica cluster streaming from another one, itself with no standby.
  'cnpg_cluster-example-replica-streaming.yaml': ['cnpg/single-instance'],
  // One instance set without replicas (the default is 1): one PostgreSQL pod.
  'crunchy-examples_azure_postgres.yaml': ['crunchy/single-instance'],
  'crunchy-examples_gcs_postgres.yaml': ['crunchy/single-instance'],
  'crunchy-examples_multi-backup-repo_postgres.yaml': ['crunchy/single-instance'],
  'crunchy-examples_postgres_postgres.yaml': ['crunchy/single-instance'],
  'crunchy-examples_s3_postgres.yaml': ['crunchy/single-instance'],
  'crunchy-postgres-operator_examples_postgrescluster.yaml': ['crunchy/single-instance'],
  // numberOfInstances: 1 — a standby cluster with a single pod.
  'zalando-postgres-operator_standby-manifest.yaml': ['zalando/single-instance'],
};

/** The corpus manifests, by file name (the folder is kubernetes/). */
function corpusFiles(): string[] {
  const files = filesUnder('kubernetes')
    .map((f) => f.slice('kubernetes/'.length))
    .filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.length > 0, 'no manifests in the corpus');
  return files;
}

const uriOf = (f: string) => `file:///corpus-operators/${f}`;

function operatorDiagnostics(f: string): Diagnostic[] {
  const uri = uriOf(f);
  const diags = engine.validate({ uri, text: readCorpus(`kubernetes/${f}`) });
  engine.forget(uri);
  return diags.filter((d) => OPERATOR_CODE.test(String(d.code)));
}

const show = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line} ${d.severity} ${d.code}: ${d.message}`).join('\n');

test('corpus: every operator publishes samples here', { skip: corpusSkip }, () => {
  const files = corpusFiles();
  for (const p of SAMPLE_PREFIXES) assert.ok(files.some((f) => f.startsWith(p)), `samples of ${p}*`);
});

test('corpus, file by file: no operator sample gets an error unless its operator rejects it; warnings as listed', { skip: corpusSkip }, () => {
  const seen: string[] = [];
  try {
    for (const f of corpusFiles()) {
      const diags = operatorDiagnostics(f);
      engine.removeWorkspaceFile(uriOf(f));
      const errors = diags.filter((d) => d.severity === 'error');
      if (REJECTED[f] === undefined) assert.equal(errors.length, 0, `${f} was accepted by its operator:\n${show(errors)}`);
      else assert.ok(errors.length > 0, `${f}: ${REJECTED[f]}`);
      const warnings = [...new Set(diags.filter((d) => d.severity === 'warning').map((d) => String(d.code)))].sort();
      assert.deepEqual(warnings, EXPECTED_WARNINGS[f] ?? [], `${f} warnings:\n${show(diags)}`);
      if (SAMPLE_PREFIXES.some((p) => f.startsWith(p))) seen.push(f);
    }
  } finally {
    for (const f of corpusFiles()) engine.removeWorkspaceFile(uriOf(f));
  }
  assert.ok(seen.length >= 50, `operator samples checked: ${seen.length}`);
});

test('corpus as one workspace: the Zalando operator configuration (anti-affinity off) reaches the cluster manifests', { skip: corpusSkip }, () => {
  const files = corpusFiles();
  try {
    for (const f of files) engine.setWorkspaceFile(uriOf(f), readCorpus(`kubernetes/${f}`));
    const off: string[] = [];
    for (const f of files) {
      const diags = operatorDiagnostics(f);
      assert.equal(diags.filter((d) => d.severity === 'error').length, 0, `${f}:\n${show(diags)}`);
      assert.equal(diags.filter((d) => d.code === 'zalando/anti-affinity-unknown').length, 0, f);
      if (diags.some((d) => d.code === 'zalando/anti-affinity-off')) off.push(f);
    }
    // Both the sample ConfigMap ("false") and the default OperatorConfiguration (false) leave it off,
    // so every Zalando sample with 2+ instances is warned.
    assert.deepEqual(off, [
      'zalando-postgres-operator_complete-postgres-manifest.yaml',
      'zalando-postgres-operator_minimal-master-replica-svcmonitor.yaml',
      'zalando-postgres-operator_minimal-postgres-lowest-version-manifest.yaml',
      'zalando-postgres-operator_minimal-postgres-manifest.yaml',
    ]);
  } finally {
    for (const f of files) engine.removeWorkspaceFile(uriOf(f));
  }
});
