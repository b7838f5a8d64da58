// One build script for every bundle: the VS Code client, the language server, the CLI and the engine library.
import * as esbuild from 'esbuild';

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
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
