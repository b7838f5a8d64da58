import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { renderCheckDocs } from './check-docs';

const root = resolve(__dirname, '..', 'docs', 'checks');
const pages = renderCheckDocs();

// Remove pages of checks that no longer exist.
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
mkdirSync(root, { recursive: true });
for (const file of walk(root)) {
  if (file.endsWith('.md') && !pages.has(relative(root, file))) rmSync(file);
}
for (const [path, content] of pages) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
console.log(`wrote ${pages.size} pages to ${relative(process.cwd(), root)}`);
