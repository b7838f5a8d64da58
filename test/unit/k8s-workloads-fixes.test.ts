import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Diagnostic } from '../../server/src/core';
import { engine } from '../helpers/engine';

let n = 0;

interface Applied {
  text: string;
  /** The original text with the edited spans removed, and the new text with the inserted spans removed. */
  before: string;
  after: string;
}

/** Applies the quick fix titled like `title` offered for `code`. */
function applyFix(text: string, code: string, title: RegExp): Applied {
  const uri = `file:///fix/${n++}/manifest.yaml`;
  const diag = engine.validate({ uri, text }).find((d: Diagnostic) => d.code === code);
  assert.ok(diag, `no ${code} to fix`);
  const action = engine.codeActions({ uri, text }, diag.range).find((a) => a.diagnostic.code === code && title.test(a.title));
  engine.forget(uri);
  engine.removeWorkspaceFile(uri);
  assert.ok(action, `no fix matching ${title} for ${code}`);
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((s, l) => s + l.length + 1, 0) + p.character;
  const edits = action.edits.map((e) => ({ start: offsetOf(e.range.start), end: offsetOf(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  let before = text;
  let after = '';
  for (const e of edits) {
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    before = before.slice(0, e.start) + before.slice(e.end);
  }
  after = out;
  for (const e of [...edits].reverse()) {
    const at = e.start + (after.length - out.length);
    after = after.slice(0, at) + after.slice(at + e.newText.length);
  }
  return { text: out, before, after };
}

function codes(text: string): string[] {
  const uri = `file:///fix/${n++}/manifest.yaml`;
  const d = engine.validate({ uri, text }).map((x) => x.code);
  engine.forget(uri);
  engine.removeWorkspaceFile(uri);
  return d.sort();
}

/** The fixed text parses cleanly, the diagnostic is gone, no new diagnostic appeared and nothing outside the edits changed. */
function verify(original: string, code: string, title: RegExp, alsoGone: string[] = []): string {
  const fixed = applyFix(original, code, title);
  const docs = parseAllDocuments(fixed.text);
  assert.ok(Array.isArray(docs));
  for (const d of docs) assert.deepEqual(d.errors.map((e) => e.message), [], fixed.text);
  const was = codes(original);
  const now = codes(fixed.text);
  assert.ok(!now.includes(code), `${code} still reported after the fix:\n${fixed.text}`);
  const expected = was.filter((c) => c !== code && !alsoGone.includes(c));
  assert.deepEqual(now.filter((c) => !alsoGone.includes(c)), expected, fixed.text);
  assert.equal(fixed.after, fixed.before, 'text outside the edits changed');
  return fixed.text;
}

/** One StatefulSet written four ways: 2 or 4 spaces, lists indented under their key or not. */
const STYLES: Record<string, string> = {
  '2-space, indented lists': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: etcd
spec:
  replicas: 2
  selector:
    matchLabels:
      app: etcd
  template:
    metadata:
      labels:
        app: etcd
        tier: "1"
    spec:
      containers:
        - name: etcd
          image: quay.io/coreos/etcd:v3.5.9
          readinessProbe:
            tcpSocket:
              port: 2379
          livenessProbe:
            tcpSocket:
              port: 2379
`,
  '2-space, flush lists': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: etcd
spec:
  replicas: 2
  selector:
    matchLabels:
      app: etcd
  template:
    metadata:
      labels:
        app: etcd
        tier: "1"
    spec:
      containers:
      - name: etcd
        image: quay.io/coreos/etcd:v3.5.9
        readinessProbe:
          tcpSocket:
            port: 2379
        livenessProbe:
          tcpSocket:
            port: 2379
`,
  '4-space, indented lists': `apiVersion: apps/v1
kind: StatefulSet
metadata:
    name: etcd
spec:
    replicas: 2
    selector:
        matchLabels:
            app: etcd
    template:
        metadata:
            labels:
                app: etcd
                tier: "1"
        spec:
            containers:
                - name: etcd
                  image: quay.io/coreos/etcd:v3.5.9
                  readinessProbe:
                      tcpSocket:
                          port: 2379
                  livenessProbe:
                      tcpSocket:
                          port: 2379
`,
  '4-space, flush lists': `apiVersion: apps/v1
kind: StatefulSet
metadata:
    name: etcd
spec:
    replicas: 2
    selector:
        matchLabels:
            app: etcd
    template:
        metadata:
            labels:
                app: etcd
                tier: "1"
        spec:
            containers:
            - name: etcd
              image: quay.io/coreos/etcd:v3.5.9
              readinessProbe:
                  tcpSocket:
                      port: 2379
              livenessProbe:
                  tcpSocket:
                      port: 2379
`,
};

const unitOf = (style: string) => (style.startsWith('4') ? 4 : 2);
const flush = (style: string) => style.endsWith('flush lists');

for (const [style, text] of Object.entries(STYLES)) {
  const u = unitOf(style);
  const pad = (k: number) => ' '.repeat(k * u);

  test(`anti-affinity-missing fix (${style}): required podAntiAffinity from the pod's own labels`, () => {
    const fixed = verify(text, 'kubernetes/anti-affinity-missing', /podAntiAffinity/);
    const dash = flush(style) ? pad(5) : pad(6);
    const inner = `${dash}  `;
    const expected = [
      `${pad(3)}affinity:`,
      `${pad(4)}podAntiAffinity:`,
      `${pad(5)}requiredDuringSchedulingIgnoredDuringExecution:`,
      `${dash}- labelSelector:`,
      `${inner}${pad(1)}matchLabels:`,
      `${inner}${pad(2)}app: etcd`,
      `${inner}topologyKey: kubernetes.io/hostname`,
    ].join('\n');
    assert.ok(fixed.includes(`port: 2379\n${expected}\n`), fixed);
    // Built from the selector's labels, not every template label.
    assert.ok(!fixed.slice(fixed.indexOf('affinity:')).includes('tier'));
  });

  test(`anti-affinity-missing fix (${style}): zone spread constraint`, () => {
    const fixed = verify(text, 'kubernetes/anti-affinity-missing', /topologySpreadConstraint/);
    const dash = flush(style) ? pad(3) : pad(4);
    assert.ok(fixed.includes(`\n${pad(3)}topologySpreadConstraints:\n${dash}- maxSkew: 1\n${dash}  topologyKey: topology.kubernetes.io/zone\n${dash}  whenUnsatisfiable: ScheduleAnyway\n`), fixed);
  });

  test(`pdb-missing fix (${style}): a PodDisruptionBudget document after the workload`, () => {
    const withSibling = `${text}---\napiVersion: v1\nkind: Service\nmetadata:\n${pad(1)}name: etcd\n`;
    const fixed = verify(withSibling, 'kubernetes/pdb-missing', /PodDisruptionBudget/);
    const docs = parseAllDocuments(fixed);
    assert.ok(Array.isArray(docs));
    assert.deepEqual(docs.map((d) => (d.toJS() as { kind: string }).kind), ['StatefulSet', 'PodDisruptionBudget', 'Service']);
    // Two etcd members: a majority of 2 would block drains, so the budget allows one disruption.
    assert.deepEqual((docs[1].toJS() as { spec: unknown }).spec, { maxUnavailable: 1, selector: { matchLabels: { app: 'etcd' } } });
    assert.ok(fixed.includes(`\nmetadata:\n${pad(1)}name: etcd-pdb\n`), fixed);
  });

  test(`quorum-replicas fix (${style}): odd member count`, () => {
    const fixed = verify(text, 'kubernetes/quorum-replicas', /replicas to 3/);
    assert.ok(fixed.includes(`\n${pad(1)}replicas: 3\n`));
  });

  test(`anti-affinity-preferred fix (${style}): adds a required term and keeps the preferred one`, () => {
    const d = flush(style) ? pad(5) : pad(6);
    const preferred = `${pad(3)}affinity:\n${pad(4)}podAntiAffinity:\n${pad(5)}preferredDuringSchedulingIgnoredDuringExecution:\n${d}- weight: 100\n${d}  podAffinityTerm:\n${d}  ${pad(1)}labelSelector:\n${d}  ${pad(2)}matchLabels:\n${d}  ${pad(3)}app: etcd\n${d}  ${pad(1)}topologyKey: topology.kubernetes.io/zone\n`;
    const text3 = text.replace('replicas: 2', 'replicas: 3') + preferred;
    assert.ok(codes(text3).includes('kubernetes/anti-affinity-preferred'), text3);
    const fixed = verify(text3, 'kubernetes/anti-affinity-preferred', /Require one member per node/);
    assert.ok(fixed.startsWith(text3), 'the fix only appends the required term');
    assert.equal(fixed.slice(text3.length - 1), `\n${pad(5)}requiredDuringSchedulingIgnoredDuringExecution:\n${d}- labelSelector:\n${d}  ${pad(1)}matchLabels:\n${d}  ${pad(2)}app: etcd\n${d}  topologyKey: kubernetes.io/hostname\n`);
  });

  test(`anti-affinity-selector fix (${style}): the selector is replaced by the pod's labels`, () => {
    const wrong = text.replace(/(port: 2379\n)$/, `$1${pad(3)}topologySpreadConstraints:\n${flush(style) ? pad(3) : pad(4)}- maxSkew: 1\n${flush(style) ? pad(3) : pad(4)}  topologyKey: kubernetes.io/hostname\n${flush(style) ? pad(3) : pad(4)}  whenUnsatisfiable: DoNotSchedule\n${flush(style) ? pad(3) : pad(4)}  labelSelector:\n${flush(style) ? pad(3) : pad(4)}  ${pad(1)}matchExpressions:\n${flush(style) ? pad(3) : pad(4)}  ${pad(1)}- key: app\n${flush(style) ? pad(3) : pad(4)}  ${pad(1)}  operator: In\n${flush(style) ? pad(3) : pad(4)}  ${pad(1)}  values: [etc]\n`);
    assert.ok(codes(wrong).includes('kubernetes/anti-affinity-selector'), wrong);
    const fixed = verify(wrong, 'kubernetes/anti-affinity-selector', /Select the pod's labels/);
    assert.ok(!fixed.includes('matchExpressions'));
  });
}

test('anti-affinity-selector fix: adds a missing labelSelector to an anti-affinity term', () => {
  const text = STYLES['2-space, indented lists'].replace(/(port: 2379\n)$/, '$1      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - topologyKey: kubernetes.io/hostname\n');
  const fixed = verify(text, 'kubernetes/anti-affinity-selector', /Select/);
  assert.ok(fixed.endsWith('            - topologyKey: kubernetes.io/hostname\n              labelSelector:\n                matchLabels:\n                  app: etcd\n'), fixed);
});

test('topology-key-deprecated fix: uses the topology.kubernetes.io label', () => {
  const text = STYLES['2-space, flush lists'].replace('replicas: 2', 'replicas: 3').replace(/(port: 2379\n)$/, '$1      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - labelSelector:\n              matchLabels:\n                app: etcd\n            topologyKey: failure-domain.beta.kubernetes.io/zone\n');
  const fixed = verify(text, 'kubernetes/topology-key-deprecated', /topology\.kubernetes\.io\/zone/);
  assert.ok(fixed.includes('topologyKey: topology.kubernetes.io/zone\n'));
});

test('topology-key fix: a hostname typo becomes kubernetes.io/hostname', () => {
  const text = STYLES['2-space, flush lists'].replace('replicas: 2', 'replicas: 3').replace(/(port: 2379\n)$/, '$1      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - labelSelector:\n              matchLabels:\n                app: etcd\n            topologyKey: hostname\n');
  verify(text, 'kubernetes/topology-key', /kubernetes\.io\/hostname/);
});

const PDB = (body: string) => `---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: etcd\nspec:\n  ${body}\n  selector:\n    matchLabels:\n      app: etcd\n`;
const FIVE = STYLES['2-space, indented lists'].replace('replicas: 2', 'replicas: 5');

test('pdb-blocks-drain fixes: maxUnavailable 0 → 1, minAvailable = replicas → the majority', () => {
  verify(FIVE + PDB('maxUnavailable: 0'), 'kubernetes/pdb-blocks-drain', /maxUnavailable to 1/);
  const fixed = verify(FIVE + PDB('minAvailable: 5'), 'kubernetes/pdb-blocks-drain', /minAvailable to 3/);
  assert.ok(fixed.endsWith('  minAvailable: 3\n  selector:\n    matchLabels:\n      app: etcd\n'));
});

test('pdb-below-quorum fixes: minAvailable and maxUnavailable', () => {
  verify(FIVE + PDB('minAvailable: 2'), 'kubernetes/pdb-below-quorum', /minAvailable to 3/);
  verify(FIVE + PDB('maxUnavailable: 3'), 'kubernetes/pdb-below-quorum', /maxUnavailable to 2/);
});

test('pdb-missing fix: a quorum system with 3+ members gets minAvailable = majority', () => {
  const fixed = verify(FIVE.replace(/\n$/, ''), 'kubernetes/pdb-missing', /minAvailable 3/);
  const docs = parseAllDocuments(fixed);
  assert.ok(Array.isArray(docs));
  assert.deepEqual((docs[1].toJS() as { spec: unknown }).spec, { minAvailable: 3, selector: { matchLabels: { app: 'etcd' } } });
});

test('anti-affinity-selector fix: a flow-style selector is rewritten in flow style', () => {
  const text = STYLES['2-space, flush lists'].replace(/(port: 2379\n)$/, '$1      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n          - labelSelector: {matchLabels: {app: etc}}\n            topologyKey: kubernetes.io/hostname\n');
  const fixed = verify(text, 'kubernetes/anti-affinity-selector', /Select/);
  assert.ok(fixed.includes('          - labelSelector: {matchLabels: {app: etcd}}\n'), fixed);
});

test('the fixes of many terms of one workload read the document\'s style once, not once a fix', () => {
  const proto = String.prototype as unknown as { split: (...args: unknown[]) => string[] };
  const real = proto.split;
  for (const terms of [200, 400]) {
    const term = (i: number) => `            - labelSelector:\n                matchLabels:\n                  app: other${i}\n              topologyKey: kubernetes.io/hostname\n`;
    const text = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n${Array.from({ length: terms }, (_, i) => term(i)).join('')}      containers:\n        - name: db\n          image: postgres\n`;
    let splitChars = 0;
    proto.split = function (this: string, ...args: unknown[]) {
      splitChars += this.length;
      return real.apply(this, args);
    };
    let diags: Diagnostic[];
    try {
      diags = engine.validate({ uri: `file:///fixes/style-${terms}.yaml`, text });
    } finally {
      proto.split = real;
    }
    assert.equal(diags.filter((d) => d.code === 'kubernetes/anti-affinity-selector').length, terms);
    assert.ok(splitChars <= 10 * text.length, `${splitChars} characters split for a text of ${text.length}`);
  }
});
