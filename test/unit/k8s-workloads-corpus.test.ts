import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusFiles, corpusLeftOut, corpusSkip, leftOutCount, readCorpus } from '../helpers/corpus';
import { diagnose } from '../helpers/engine';

const MINE = /^kubernetes\/(anti-affinity-|topology-key|quorum-replicas|pdb-|probes-missing|patroni-probes)/;

/**
 * What the workload and PDB rules find in the published manifests (code@0-based line), and why.
 * Every file not listed must produce none of them. Each file is checked alone (a one-file workspace).
 */
const EXPECTED: Record<string, string[]> = {
  // 3 replicas, no anti-affinity, no PDB in the file.
  'kubernetes/k8s-examples_cassandra-statefulset.yaml': ['kubernetes/anti-affinity-missing@3', 'kubernetes/pdb-missing@3'],
  // policy/v1beta1 PDB with minAvailable 67% of 3 replicas: the controller rounds up to 3, so no eviction is ever allowed.
  // The cockroachdb container has no probes at all.
  'kubernetes/k8s-examples_cockroachdb-statefulset.yaml': ['kubernetes/pdb-blocks-drain@66', 'kubernetes/probes-missing@126'],
  // Guestbook redis replicas: 2 replicas, no spreading, no PDB, no probes.
  'kubernetes/k8s-examples_guestbook_redis-replica-deployment.yaml': ['kubernetes/anti-affinity-missing@3', 'kubernetes/pdb-missing@3', 'kubernetes/probes-missing@19'],
  'kubernetes/k8s-examples_minio-distributed-statefulset.yaml': ['kubernetes/anti-affinity-missing@3', 'kubernetes/pdb-missing@3'],
  // The kubernetes/website mysql StatefulSet: 3 replicas, no anti-affinity (the tutorial says so), PDB not in the file.
  'kubernetes/k8s-website_mysql-statefulset.yaml': ['kubernetes/anti-affinity-missing@3', 'kubernetes/pdb-missing@3'],
  // Lone PDBs whose ZooKeeper StatefulSet lives in another file.
  'kubernetes/k8s-website_zookeeper-pdb-maxunavailable.yaml': ['kubernetes/pdb-target-unknown@6'],
  'kubernetes/k8s-website_zookeeper-pdb-minavailable.yaml': ['kubernetes/pdb-target-unknown@6'],
  // Patroni's Citus demo: three StatefulSets (3, 2, 2 replicas) without anti-affinity or PDB; readiness on /readiness, no liveness probe.
  'kubernetes/zalando-patroni_citus_k8s.yaml': [
    'kubernetes/anti-affinity-missing@41', 'kubernetes/pdb-missing@41', 'kubernetes/probes-missing@60',
    'kubernetes/anti-affinity-missing@151', 'kubernetes/pdb-missing@151', 'kubernetes/probes-missing@170',
    'kubernetes/anti-affinity-missing@261', 'kubernetes/pdb-missing@261', 'kubernetes/probes-missing@280',
  ],
  'kubernetes/zalando-patroni_patroni_k8s.yaml': ['kubernetes/anti-affinity-missing@15', 'kubernetes/pdb-missing@15', 'kubernetes/probes-missing@34'],
  // Spilo's demo StatefulSet: no anti-affinity, no PDB, no probes.
  'kubernetes/zalando-spilo_spilo_kubernetes.yaml': ['kubernetes/anti-affinity-missing@3', 'kubernetes/pdb-missing@3', 'kubernetes/probes-missing@55'],
};

const files = corpusFiles('kubernetes').filter((f) => /\.ya?ml$/.test(f));

test('the Kubernetes corpus is present', { skip: corpusSkip }, () => {
  assert.ok(files.length >= 79 - leftOutCount('kubernetes'), `expected the 79 Kubernetes manifests, found ${files.length}`);
  for (const f of Object.keys(EXPECTED)) assert.ok(files.includes(f) || corpusLeftOut.has(f), `missing ${f}`);
});

for (const file of files) {
  test(`${file}: workload and PDB rules`, () => {
    const diags = diagnose('manifest.yaml', readCorpus(file)).filter((d) => MINE.test(String(d.code)));
    assert.deepEqual(diags.filter((d) => d.severity === 'error').map((d) => d.code), [], 'these rules never report errors');
    const found = diags.map((d) => `${String(d.code)}@${d.range.start.line}`).sort();
    assert.deepEqual(found, [...(EXPECTED[file] ?? [])].sort());
  });
}
