// One build script for every bundle: the VS Code client, the language server, the CLI and the engine library.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const builds = [
  // pg's optional native binding is never used.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode', 'pg-native'] },
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['cli/src/bin.ts'], outfile: 'dist/hatopo.js', external: ['pg-native'], banner: { js: '#!/usr/bin/env node' } },
  // The engine alone, as a library for embedders and the benchmark.
  { ...common, entryPoints: ['server/src/core/index.ts'], outfile: 'dist/engine.js' },
  // @kubernetes/client-node, loaded only when a Kubernetes context is read (live/src/providers/kubernetes.ts),
  // so the bundles above never contain it. The library asks for undici 8, which needs Node 22.19;
  // undici 7 has the same fetch and agents and runs on the Node 20 of VS Code 1.91 and of `hatopo`.
  {
    ...common,
    entryPoints: ['live/src/kubernetes/index.ts'],
    outfile: 'dist/kubernetes.js',
    alias: { undici: dirname(createRequire(import.meta.url).resolve('undici/package.json')) },
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
