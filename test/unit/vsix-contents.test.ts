// What `vsce package` puts in the .vsix, by the .vscodeignore allow-list (`npm run build` first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const REPO = resolve(__dirname, '..', '..');
const vsce = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
const files = new Set(execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: REPO, encoding: 'utf8' }).split('\n').filter(Boolean));
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  main: string;
  contributes: {
    languages: Array<{ configuration: string }>;
    grammars: Array<{ path: string }>;
    snippets: Array<{ path: string }>;
    yamlValidation: Array<{ url: string }>;
  };
};
const rel = (p: string) => p.replace(/^\.\//, '');

test('the package holds the bundles, the schemas and docs the server reads, and the manifest files', () => {
  const needed = [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    'dist/client.js',
    'dist/server.js',
    'dist/hatopo.js',
    'schemas/patroni.schema.json',
    'schemas/generated/index.json',
    'schemas/generated/kubernetes.schema.json',
    'schemas/kubernetes/index.json',
    'schemas/haproxy/keywords.json',
    'schemas/redis/redis-directives.json',
    'schemas/redis/sentinel-directives.json',
    'docs/checks/patroni/timing.md',
    'docs/checks/sentinel/invalid-quorum.md',
  ];
  for (const f of needed) assert.ok(files.has(f), `${f} missing from the package (npm run build first)`);
  assert.ok([...files].some((f) => f.startsWith('schemas/generated/validators/')), 'precompiled validators missing');
});

test('every file package.json points to is in the package', () => {
  const c = manifest.contributes;
  const referenced = [manifest.main, ...c.languages.map((l) => l.configuration), ...c.grammars.map((g) => g.path), ...c.snippets.map((s) => s.path), ...c.yamlValidation.map((y) => y.url)];
  for (const f of referenced.map(rel)) assert.ok(files.has(f), `${f} missing from the package`);
});

test('README images are in the package (the Extensions view shows them from it)', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  for (const [, src] of readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
    if (!/^\w+:/.test(src)) assert.ok(files.has(src), `${src} missing from the package`);
  }
});

test('nothing else: no sources, tests, caches, source maps or CRD inputs', () => {
  const unwanted = [...files].filter((f) => /^(client|server|cli|scripts|test|examples|node_modules|\.cache|schemas\/crds)\//.test(f) || f.endsWith('.map') || f === 'dist/engine.js' || f.endsWith('.ts'));
  assert.deepEqual(unwanted, []);
});
