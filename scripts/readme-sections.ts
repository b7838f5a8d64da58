// The README sections generated from the code: the list of checks and real `hatopo check examples/` output.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createEngine } from '../server/src/core';

const ROOT = resolve(__dirname, '..');

export function checksSection(): string {
  const checks = createEngine().checks();
  const groups: Array<[string, string]> = [
    ['patroni', 'Patroni'],
    ['sentinel', 'Redis Sentinel'],
    ['redis', 'redis.conf'],
    ['haproxy', 'HAProxy'],
    ['kubernetes', 'Kubernetes'],
    ['cnpg', 'CloudNativePG'],
    ['zalando', 'Zalando postgres-operator'],
    ['crunchy', 'Crunchy PGO'],
    ['otredis', 'OT-CONTAINER-KIT redis-operator'],
    ['spotahome', 'Spotahome redis-operator'],
    ['live', 'Drift against live clusters (while connected, or `hatopo check --live`)'],
  ];
  const out: string[] = [];
  for (const [prefix, name] of groups) {
    const list = checks.filter((c) => c.id.startsWith(`${prefix}/`)).sort((a, b) => a.id.localeCompare(b.id));
    if (list.length === 0) continue;
    out.push(`**${name}** (${list.length})`, '');
    for (const c of list) out.push(`- [\`${c.id}\`](docs/checks/${c.id}.md) (${c.defaultSeverity}): ${c.title}`);
    out.push('');
  }
  return out.join('\n');
}

/** Runs the built CLI on examples/ from the repository root, as a user would. */
export function checkOutputSection(): string {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'dist', 'hatopo.js'), 'check', 'examples/'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`hatopo check examples/ failed (${r.status}): ${r.stderr}`);
  return ['`hatopo check examples/` prints (exit status ' + r.status + '):', '', '```text', '$ npx hatopo check examples/', r.stdout.trimEnd(), '```', ''].join('\n');
}

export function replaceSection(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README.md has no ${name} markers`);
  return text.slice(0, a + start.length) + '\n' + body + text.slice(b);
}
