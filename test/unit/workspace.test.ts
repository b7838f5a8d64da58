import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEngine } from '../../server/src/core';
import type { Check, FormatSupport } from '../../server/src/core';
import { kubernetesFacts } from '../../server/src/core/documents/yaml/kubernetes-facts';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import type { KubernetesModel } from '../../server/src/core/documents/yaml/kubernetes';
import { DEFAULT_SETTINGS } from '../../server/src/core';

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: pg
  namespace: db
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: pg
`;

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: pg
  namespace: db
spec:
  replicas: 3
`;

test('facts: PDBs, CRDs and Zalando operator settings', () => {
  const text = `${PDB}---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  group: example.com
  names:
    kind: Widget
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          type: object
---
apiVersion: acid.zalan.do/v1
kind: OperatorConfiguration
configuration:
  kubernetes:
    enable_pod_antiaffinity: true
---
apiVersion: v1
kind: ConfigMap
data:
  docker_image: spilo
  enable_pod_antiaffinity: "false"
`;
  const facts = kubernetesFacts(parseKubernetes({ uri: 'file:///w/a.yaml', text, kind: 'kubernetes' }, DEFAULT_SETTINGS));
  assert.deepEqual(facts.pdbs, [{ uri: 'file:///w/a.yaml', namespace: 'db', name: 'pg', selector: { matchLabels: { app: 'pg' } }, minAvailable: 2 }]);
  assert.equal(facts.crds[0].kind, 'Widget');
  const sts = kubernetesFacts(parseKubernetes({ uri: 'file:///w/s.yaml', text: STS + '  template:\n    metadata:\n      labels:\n        app: pg\n', kind: 'kubernetes' }, DEFAULT_SETTINGS));
  assert.deepEqual(sts.workloads, [{ uri: 'file:///w/s.yaml', namespace: 'db', kind: 'StatefulSet', name: 'pg', podLabels: { app: 'pg' }, replicas: 3 }]);
  assert.deepEqual(facts.crds[0].versions, [{ name: 'v1', schema: { type: 'object' } }]);
  assert.deepEqual(facts.operatorSettings.map((o) => [o.name, o.value]), [
    ['enable_pod_antiaffinity', true],
    ['enable_pod_antiaffinity', 'false'],
  ]);
});

test('a check sees PDBs of other files; results follow workspace changes, not unrelated edits', () => {
  const seen: number[] = [];
  const pdbCount: Check<KubernetesModel> = {
    id: 'kubernetes/test-pdbs',
    defaultSeverity: 'information',
    docs: { title: 'test', summary: 'test' },
    check(ctx) {
      seen.push(ctx.workspace.pdbs().length);
      ctx.report({ start: 0, end: 1, message: `${ctx.workspace.pdbs().length} PDBs` });
    },
  };
  const format: FormatSupport<KubernetesModel> = { kind: 'kubernetes', parse: parseKubernetes, checks: [pdbCount], facts: kubernetesFacts, usesWorkspace: true };
  const engine = createEngine({ formats: { kubernetes: format as FormatSupport<unknown> } });
  const sts = { uri: 'file:///w/sts.yaml', text: STS };
  assert.equal(engine.validate(sts)[0].message, '0 PDBs');
  assert.equal(engine.setWorkspaceFile('file:///w/pdb.yaml', PDB), true);
  assert.equal(engine.validate(sts)[0].message, '1 PDBs');
  // Re-reading the same file, or a file without facts, changes nothing.
  assert.equal(engine.setWorkspaceFile('file:///w/pdb.yaml', PDB + '# comment\n'), false);
  assert.equal(engine.setWorkspaceFile('file:///w/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: pg\n'), false);
  const runs = seen.length;
  engine.validate(sts);
  assert.equal(seen.length, runs, 'served from cache');
  assert.equal(engine.removeWorkspaceFile('file:///w/pdb.yaml'), true);
  assert.equal(engine.validate(sts)[0].message, '0 PDBs');
  // A document's own PDBs count too.
  assert.equal(engine.validate({ uri: 'file:///w/both.yaml', text: `${STS}---\n${PDB}` })[0].message, '1 PDBs');
});

test('facts: node label keys from Nodes, node selectors, node affinity and kubelet flags; not from pod labels or CRD schemas', () => {
  const text = `apiVersion: v1
kind: Node
metadata:
  name: n1
  labels:
    example.com/rack: r1
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: etcd
spec:
  replicas: 3
  template:
    metadata:
      labels:
        app: etcd
    spec:
      nodeSelector:
        example.com/pool: db
      affinity:
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 1
              preference:
                matchExpressions:
                  - key: example.com/disk
                    operator: In
                    values: [ssd]
      containers:
        - name: etcd
          image: quay.io/coreos/etcd:v3.5.9
          command: ["sh", "-c", "kubelet --node-labels example.com/flag=a,_x=b"]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
spec:
  group: example.com
  names:
    kind: Thing
  versions:
    - name: v1
      schema:
        openAPIV3Schema:
          type: object
          properties:
            nodeSelector:
              type: object
              additionalProperties:
                type: string
`;
  const facts = kubernetesFacts(parseKubernetes({ uri: 'file:///w/n.yaml', text, kind: 'kubernetes' }, DEFAULT_SETTINGS));
  assert.deepEqual(facts.nodeLabels.map((l) => l.key), ['example.com/disk', 'example.com/flag', 'example.com/pool', 'example.com/rack']);
  assert.deepEqual(facts.workloads.map((w) => [w.name, w.replicas, w.system]), [['etcd', 3, { name: 'etcd', quorum: true }]]);
});
