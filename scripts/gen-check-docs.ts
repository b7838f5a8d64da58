// npm run docs: writes docs/checks/ and the generated README sections.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { checksSettingSchema, renderCheckDocs } from './check-docs';
import { checkOutputSection, checksSection, replaceSection } from './readme-sections';

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

const readmePath = resolve(__dirname, '..', 'README.md');
let readme = readFileSync(readmePath, 'utf8');
readme = replaceSection(readme, 'checks', checksSection());
readme = replaceSection(readme, 'check-output', checkOutputSection());
writeFileSync(readmePath, readme);
console.log('README.md sections updated (needs a fresh npm run build for the example output)');

// The hatopo.checks setting lists every check id, for completion and warnings in settings.json.
const packagePath = resolve(__dirname, '..', 'package.json');
const pkg = JSON.parse(readFileSync(packagePath, 'utf8'));
pkg.contributes.configuration.properties['hatopo.checks'] = checksSettingSchema();
writeFileSync(packagePath, `${JSON.stringify(pkg, null, 2)}\n`);
console.log('package.json: hatopo.checks lists every check id');
