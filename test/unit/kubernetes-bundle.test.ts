// @kubernetes/client-node is several megabytes: it lives in dist/kubernetes.js alone, which the
// extension and the CLI load only when a Kubernetes context is read (`npm run build` first).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const DIST = resolve(__dirname, '..', '..', 'dist');
// Text of client-node's own code (watch.ts, config.ts) that minification keeps.
const MARKERS = ['No currently active cluster', 'kubeconfig authentication'];

const read = (name: string) => readFileSync(join(DIST, name), 'utf8');

test('dist/kubernetes.js holds @kubernetes/client-node', () => {
  const text = read('kubernetes.js');
  for (const m of MARKERS) assert.ok(text.includes(m), `'${m}' not in dist/kubernetes.js`);
});

test('the extension, the CLI and the language server bundles do not', () => {
  for (const name of ['client.js', 'hatopo.js', 'server.js']) {
    const text = read(name);
    for (const m of MARKERS) assert.ok(!text.includes(m), `${name} contains client-node ('${m}')`);
    assert.ok(!text.includes('@kubernetes/client-node/dist/'), `${name} names a client-node source file`);
  }
});
