// npm run bench: speed figures for the README (a benchmark, never a timed test).
//   --update-readme   rewrite the figures between the bench markers in README.md
//   --scaling-only    only the scaling rows (inputs at sizes ×1, ×2, ×4), printed
//   --live-only       only the live rows (real clusters started here, see live-bench.ts), printed
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine } from '../../server/src/core';
import { LspClient, REPO } from '../helpers/lsp-client';
import { haproxyConfig, kubernetesManifest, patroniMember } from './generate';
import { liveRows } from './live-bench';
import { scalingRows } from './scaling';

const LINES = 20_000;
/** Fresh server starts per server for the open figure (its median is reported). */
const OPEN_RUNS = 3;
const dir = mkdtempSync(join(tmpdir(), 'hatopo-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

function timeProcess(cmd: string, args: string[], runs: number): { median: number; status: number | null; stderr: string } {
  const times: number[] = [];
  let last: ReturnType<typeof spawnSync> | undefined;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    last = spawnSync(cmd, args, { encoding: 'utf8' });
    times.push(performance.now() - t);
  }
  return { median: median(times), status: last!.status, stderr: String(last!.stderr ?? '') };
}

function timeEngine(files: Array<{ uri: string; text: string }>, runs: number): { median: number; diagnostics: number } {
  const times: number[] = [];
  let diagnostics = 0;
  for (let i = 0; i < runs; i++) {
    const engine = createEngine(); // fresh: no cache
    const t = performance.now();
    diagnostics = 0;
    for (const f of files) diagnostics += engine.validate(f).length;
    times.push(performance.now() - t);
  }
  return { median: median(times), diagnostics };
}

/** didChange of one line → publishDiagnostics for that version, over the real server on stdio. */
async function editRoundTrip(
  uri: string,
  text: string,
  edits: number,
  lineOf: (i: number) => { line: number; from: string; to: string },
  alsoOpen: Array<{ uri: string; text: string }> = [],
) {
  const client = new LspClient({ pull: false });
  await client.initialize();
  for (const d of alsoOpen) await client.open(d.uri, d.text);
  for (const d of alsoOpen) await client.pushed(d.uri, 60_000);
  const t0 = performance.now();
  await client.open(uri, text);
  await client.pushed(uri, 60_000);
  const open = performance.now() - t0;
  const lines = text.split('\n');
  const times: number[] = [];
  for (let i = 0; i < edits; i++) {
    const { line, from, to } = lineOf(i);
    const col = lines[line].indexOf(from);
    if (col < 0) throw new Error(`bench edit: '${from}' not on line ${line}`);
    lines[line] = lines[line].slice(0, col) + to + lines[line].slice(col + from.length);
    const t = performance.now();
    await client.change(uri, { start: { line, character: col }, end: { line, character: col + from.length } }, to);
    await client.pushed(uri, 60_000);
    times.push(performance.now() - t);
  }
  await client.shutdown();
  return { open, median: median(times), p95: p95(times) };
}

/**
 * A 20,000+ line manifest of CNPG Clusters, StatefulSets and PDBs: open → diagnostics and one-line
 * edit → diagnostics, over LSP, for hatopo (every rule on) and for yaml-language-server validating
 * the same file against the same CNPG Cluster schema, in the same run.
 */
async function kubernetesVersusYamlLs(): Promise<string[][]> {
  const index = resolve(REPO, 'schemas', 'generated', 'index.json');
  let schemaFile: string | undefined;
  try {
    const map = JSON.parse(readFileSync(index, 'utf8')) as Record<string, string>;
    const rel = map['postgresql.cnpg.io/v1 Cluster'];
    if (rel) schemaFile = resolve(REPO, 'schemas', 'generated', rel);
  } catch {
    schemaFile = undefined;
  }
  if (!schemaFile) return [['Kubernetes manifest vs yaml-language-server', 'n/a', 'no generated CNPG schema (run npm run build)']];
  const text = kubernetesManifest(LINES);
  const lineCount = text.split('\n').length - 1;
  const path = join(dir, 'clusters.yaml');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).href;
  const lines = text.split('\n');
  const editLines: number[] = [];
  lines.forEach((l, i) => {
    if (l === '  instances: 3') editLines.push(i);
  });
  const edits = 20;

  async function measure(client: LspClient, versioned: boolean) {
    await client.initialize();
    const t0 = performance.now();
    let n = client.publishCount(uri);
    await client.open(uri, text, 'yaml');
    if (versioned) await client.pushed(uri, 120_000);
    else await client.publishedAfter(uri, n, 120_000);
    const open = performance.now() - t0;
    const times: number[] = [];
    for (let i = 0; i < edits; i++) {
      const line = editLines[(i * 37) % editLines.length];
      n = client.publishCount(uri);
      const t = performance.now();
      await client.change(uri, { start: { line, character: 13 }, end: { line, character: 14 } }, i % 2 ? '3' : '5');
      if (versioned) await client.pushed(uri, 120_000);
      else await client.publishedAfter(uri, n, 120_000);
      times.push(performance.now() - t);
    }
    await client.shutdown();
    return { open, edit: median(times) };
  }

  const yamlLsMain = resolve(REPO, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  const yamlSettings = { validate: true, hover: true, completion: true, schemas: { [pathToFileURL(schemaFile).href]: [path] }, schemaStore: { enable: false } };
  // Each server is started fresh several times (open is a cold start's figure); turns alternate.
  // hatopo keeps V8's compiled validators in a code cache between starts: its first start (empty
  // cache) and its later starts are measured apart, with a cache folder of the bench's own.
  const cache = join(dir, 'code-cache');
  process.env.HATOPO_CODE_CACHE = cache;
  const firstRuns: Array<{ open: number; edit: number }> = [];
  const oursRuns: Array<{ open: number; edit: number }> = [];
  const theirsRuns: Array<{ open: number; edit: number }> = [];
  for (let run = 0; run < OPEN_RUNS; run++) {
    rmSync(cache, { recursive: true, force: true });
    firstRuns.push(await measure(new LspClient({ pull: false }), true));
    oursRuns.push(await measure(new LspClient({ pull: false }), true));
    theirsRuns.push(await measure(new LspClient({ pull: false, command: [yamlLsMain, '--stdio'], settings: yamlSettings, yamlSettings }), false));
  }
  const summary = (runs: Array<{ open: number; edit: number }>) => ({ open: median(runs.map((r) => r.open)), edit: median(runs.map((r) => r.edit)) });
  const first = summary(firstRuns);
  const ours = summary(oursRuns);
  const theirs = summary(theirsRuns);
  const versus = (ours: number, theirs: number) => (theirs >= ours ? `${(theirs / ours).toFixed(1)}× faster than yaml-language-server` : `${(ours / theirs).toFixed(1)}× slower than yaml-language-server`);
  return [
    [`manifest, ${lineCount} lines (CNPG Clusters, StatefulSets, PDBs): hatopo open → diagnostics`, ms(ours.open), versus(ours.open, theirs.open)],
    [`same manifest: hatopo open → diagnostics, first start (empty code cache)`, ms(first.open), versus(first.open, theirs.open)],
    [`same manifest: yaml-language-server open → diagnostics (CNPG schema)`, ms(theirs.open), ''],
    [`same manifest: hatopo one-line edit → diagnostics`, ms(ours.edit), versus(ours.edit, theirs.edit)],
    [`same manifest: yaml-language-server one-line edit → diagnostics`, ms(theirs.edit), ''],
  ];
}

/** `count` small HAProxy files, 200 to a folder, for the figure of a walk over many files. */
function manySmallFiles(count: number): string {
  const root = join(dir, 'many');
  for (let i = 0; i < count; i++) {
    const folder = join(root, `d${Math.floor(i / 200)}`);
    if (i % 200 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `haproxy-${i % 200}.cfg`), haproxyConfig(5));
  }
  return root;
}

/**
 * A server's first diagnostics: a fresh server (empty code cache) opens one small file and the
 * time runs from the open to its diagnostics; the median of several fresh starts.
 */
async function firstDiagnostics(name: string, text: string, runs: number): Promise<number> {
  const uri = pathToFileURL(join(dir, 'first', name)).href;
  const cache = join(dir, 'first-cache');
  const saved = process.env.HATOPO_CODE_CACHE;
  process.env.HATOPO_CODE_CACHE = cache;
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      rmSync(cache, { recursive: true, force: true });
      const client = new LspClient({ pull: false });
      await client.initialize();
      const t = performance.now();
      await client.open(uri, text);
      await client.pushed(uri, 60_000);
      times.push(performance.now() - t);
      await client.shutdown();
    }
  } finally {
    if (saved === undefined) delete process.env.HATOPO_CODE_CACHE;
    else process.env.HATOPO_CODE_CACHE = saved;
  }
  return median(times);
}

async function main(): Promise<void> {
  if (process.argv.includes('--first-only')) {
    // A quicker run of the first-diagnostics rows alone; never written to the README.
    for (const [name, text] of [['patroni.yml', patroniMember(0, 1)], ['haproxy.cfg', haproxyConfig(40)]]) console.log(`${name}: ${ms(await firstDiagnostics(name, text, 5))}`);
    return;
  }
  if (process.argv.includes('--scaling-only')) {
    // A quicker run of the scaling rows alone; never written to the README.
    for (const r of await scalingRows()) console.log(r.join(' | '));
    return;
  }
  if (process.argv.includes('--live-only')) {
    // A quicker run of the live rows alone; never written to the README.
    for (const r of await liveRows()) console.log(r.join(' | '));
    return;
  }
  if (process.argv.includes('--kubernetes-only')) {
    // A quicker run of the Kubernetes comparison alone; never written to the README.
    for (const r of await kubernetesVersusYamlLs()) console.log(r.join(' | '));
    return;
  }
  const rows: string[][] = [];
  const cfgText = haproxyConfig(LINES);
  const cfgPath = join(dir, 'haproxy.cfg');
  writeFileSync(cfgPath, cfgText);
  const cfgLines = cfgText.split('\n').length - 1;

  const haproxy = timeProcess('haproxy', ['-c', '-f', cfgPath], 5);
  const engineCfg = timeEngine([{ uri: pathToFileURL(cfgPath).href, text: cfgText }], 5);
  const cli = timeProcess(process.execPath, [join(REPO, 'dist', 'hatopo.js'), 'check', '--format', 'json', cfgPath], 5);
  rows.push([`haproxy.cfg, ${cfgLines} lines: \`haproxy -c\` (2.6, whole process)`, ms(haproxy.median), haproxy.status === 0 ? 'valid' : `exit ${haproxy.status}`]);
  rows.push([`haproxy.cfg, ${cfgLines} lines: hatopo engine, full validation`, ms(engineCfg.median), `${(engineCfg.median / haproxy.median).toFixed(2)}× haproxy -c; ${engineCfg.diagnostics} diagnostics`]);
  rows.push([`haproxy.cfg, ${cfgLines} lines: \`hatopo check\` (whole process)`, ms(cli.median), `${(cli.median / haproxy.median).toFixed(2)}× haproxy -c`]);

  const many = manySmallFiles(20_000);
  const manyCli = timeProcess(process.execPath, [join(REPO, 'dist', 'hatopo.js'), 'check', '--format', 'json', many], 3);
  rows.push([`20,000 small HAProxy files in 100 folders: \`hatopo check\` (whole process)`, ms(manyCli.median), manyCli.status === 0 ? '' : `exit ${manyCli.status}`]);

  const patroni: Array<{ uri: string; text: string }> = [];
  let patroniLines = 0;
  for (let c = 0; patroniLines < LINES; c++) {
    for (let m = 1; m <= 3 && patroniLines < LINES; m++) {
      const text = patroniMember(c, m);
      patroniLines += text.split('\n').length - 1;
      patroni.push({ uri: pathToFileURL(join(dir, `cluster-${c}`, `patroni-pg${m}.yml`)).href, text });
    }
  }
  const enginePatroni = timeEngine(patroni, 5);
  rows.push([`${patroni.length} Patroni files, ${patroniLines} lines: hatopo engine, full validation`, ms(enginePatroni.median), `${enginePatroni.diagnostics} diagnostics`]);

  const cfgEdit = await editRoundTrip(pathToFileURL(cfgPath).href, cfgText, 30, (i) => {
    const line = 5 + ((i * 997) % (cfgLines - 10));
    const lines = cfgText.split('\n');
    let l = line;
    while (!lines[l].includes('maxconn 100')) l++;
    return { line: l, from: 'maxconn 100', to: 'maxconn 101' };
  });
  rows.push([`haproxy.cfg, ${cfgLines} lines: LSP open → diagnostics`, ms(cfgEdit.open), '']);
  rows.push([`haproxy.cfg, ${cfgLines} lines: LSP one-line edit → diagnostics`, ms(cfgEdit.median), `p95 ${ms(cfgEdit.p95)}`]);

  const [first, ...others] = patroni;
  const patroniEdit = await editRoundTrip(
    first.uri,
    first.text,
    30,
    (i) => ({ line: 1, from: i % 2 ? '/svc/' : '/service/', to: i % 2 ? '/service/' : '/svc/' }),
    others,
  );
  rows.push([`${patroni.length} Patroni files open (${patroniLines} lines): LSP one-line edit in one → diagnostics`, ms(patroniEdit.median), `p95 ${ms(patroniEdit.p95)}`]);

  const smallPatroni = patroniMember(0, 1);
  const smallCfg = haproxyConfig(smallPatroni.split('\n').length);
  const smallLines = (t: string) => t.split('\n').length - 1;
  const firstPatroni = await firstDiagnostics('patroni.yml', smallPatroni, 5);
  const firstCfg = await firstDiagnostics('haproxy.cfg', smallCfg, 5);
  rows.push([`patroni.yml, ${smallLines(smallPatroni)} lines: a fresh server's first diagnostics (open → diagnostics)`, ms(firstPatroni), 'empty code cache']);
  rows.push([`haproxy.cfg, ${smallLines(smallCfg)} lines: a fresh server's first diagnostics (open → diagnostics)`, ms(firstCfg), 'empty code cache']);

  rows.push(...(await kubernetesVersusYamlLs()));
  rows.push(...(await scalingRows()));
  rows.push(...(await liveRows()));
  printAndSave(rows);
}

function printAndSave(rows: string[][]): void {

  const header = ['measurement', 'time (median)', 'note'];
  const table = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
  const machine = `Node ${process.version}, ${process.platform}/${process.arch}; ${new Date().toISOString().slice(0, 10)}`;
  console.log(table);
  console.log(`\n${machine}`);

  if (process.argv.includes('--update-readme')) {
    const readme = resolve(REPO, 'README.md');
    const text = readFileSync(readme, 'utf8');
    const start = '<!-- bench:start -->';
    const end = '<!-- bench:end -->';
    const a = text.indexOf(start);
    const b = text.indexOf(end);
    if (a < 0 || b < a) throw new Error('README.md has no bench markers');
    writeFileSync(readme, text.slice(0, a + start.length) + `\n${table}\n\n${machine}\n` + text.slice(b));
    console.log('README.md updated');
  }
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
