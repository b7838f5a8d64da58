// Hostile files (byte-order marks, UTF-16, other line breaks, characters YAML refuses, bytes that
// are not UTF-8, deep nesting, aliases) read from their bytes by Patroni's way of reading PyYAML,
// by kubectl, and by the engine as `hatopo check` reads them: we refuse ⇔ they refuse; where both
// read, the same value; a document we do not validate is one they read, and says so.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createEngine, DEFAULT_SETTINGS, decodeFile } from '../../server/src/core';
import { isRecord, parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import { compare, newTally } from './yaml/pyyaml-compare';
import { LABEL_KEY, findKubectl, readWithKubectl } from './yaml/kubectl-oracle';
import { findPython, loadAsPatroni } from './yaml/pyyaml-oracle';

interface Case {
  label: string;
  bytes: Buffer;
  /** Compare whether they read it only: its value is too large to print (kubectl prints JSON indented at every level). */
  verdictOnly?: boolean;
}

const engine = createEngine({ logger: { info: () => undefined, error: (m) => assert.fail(m) } });

function ourReading(name: string, bytes: Buffer) {
  const { text, encoding } = decodeFile(bytes);
  const uri = `file:///hostile/${name}`;
  const diags = engine.validate({ uri, text, encoding }, DEFAULT_SETTINGS);
  engine.forget(uri);
  engine.removeWorkspaceFile(uri);
  return { text, diags };
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const bom8 = (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(s)]);
const utf16 = (s: string, le: boolean) => {
  const b = Buffer.from(s, 'utf16le');
  if (!le) b.swap16();
  return Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), b]);
};
const deepKeys = (levels: number, indent: string) => Array.from({ length: levels }, (_, i) => `${indent}${' '.repeat(i)}k${i}:\n`).join('');
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
function laughs(levels: number, indent: string): string {
  let s = `${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n`;
  let prev = 'a';
  for (const n of 'bcdefgh'.slice(0, levels)) {
    s += `${indent}${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = n;
  }
  return s;
}

/** Texts that differ from `base` by one hostile detail, as bytes. */
function variants(base: string, at: string, indent: string): Case[] {
  const put = (what: string) => base + what;
  const cases: Case[] = [
    { label: 'plain', bytes: utf8(base) },
    { label: 'UTF-8 byte-order mark', bytes: bom8(base) },
    { label: 'UTF-16LE', bytes: utf16(base, true) },
    { label: 'UTF-16BE', bytes: utf16(base, false) },
    { label: 'UTF-16LE without a byte-order mark', bytes: Buffer.from(base, 'utf16le') },
    { label: 'UTF-32LE', bytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), ...[...base].map((c) => Buffer.from([c.charCodeAt(0), 0, 0, 0]))]) },
    { label: 'CRLF', bytes: utf8(base.replace(/\n/g, '\r\n')) },
    { label: 'lone CR', bytes: utf8(base.replace(/\n/g, '\r')) },
    { label: 'lone CR after a comment', bytes: utf8(('# first\n' + base).replace(/\n/g, '\r')) },
    { label: 'byte-order mark and a value after it in the text', bytes: utf8(put(`${at}x: "a\ufeffb"\n`)) },
    { label: 'invalid UTF-8 in a value', bytes: Buffer.concat([utf8(put(`${at}x: "a`)), Buffer.from([0xff]), utf8('b"\n')]) },
    { label: 'invalid UTF-8 in a comment', bytes: Buffer.concat([utf8(put('# a')), Buffer.from([0xc3, 0x28]), utf8('\n')]) },
    { label: 'tab and no-break space in a quoted value', bytes: utf8(put(`${at}x: "a\tb\u00a0c"\n`)) },
  ];
  for (const [name, nl] of [['NEL', '\u0085'], ['LS', '\u2028'], ['PS', '\u2029']]) cases.push({ label: `${name} line breaks`, bytes: utf8(base.replace(/\n/g, nl)) });
  for (const c of ['\0', '\x01', '\x1b', '\x7f', '\x80', '\x9f', '\ufffe', '\uffff']) {
    const name = `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    cases.push({ label: `${name} in a quoted value`, bytes: utf8(put(`${at}x: "a${c}b"\n`)) });
    cases.push({ label: `${name} in a comment`, bytes: utf8(put(`# a${c}b\n`)) });
  }
  cases.push(
    { label: '100 nested keys', bytes: utf8(put(`${at}x:\n` + deepKeys(100, indent + '  '))) },
    { label: '300 nested keys', bytes: utf8(put(`${at}x:\n` + deepKeys(300, indent + '  '))), verdictOnly: true },
    { label: '600 nested keys', bytes: utf8(put(`${at}x:\n` + deepKeys(600, indent + '  '))), verdictOnly: true },
    { label: '3,000 nested keys', bytes: utf8(put(`${at}x:\n` + deepKeys(3000, indent + '  '))), verdictOnly: true },
    { label: '100 nested flow sequences', bytes: utf8(put(`${at}x: ${nested(100)}\n`)) },
    { label: '10,000 nested flow sequences', bytes: utf8(put(`${at}x: ${nested(10_000)}\n`)), verdictOnly: true },
    { label: '10,001 nested flow sequences', bytes: utf8(put(`${at}x: ${nested(10_001)}\n`)), verdictOnly: true },
    { label: '1,000 aliases of a small mapping', bytes: utf8(put(`${at}base: &m {k: v, n: 1}\n${at}list:\n` + `${indent}  - *m\n`.repeat(1000))) },
    { label: '1,500 aliases of a scalar', bytes: utf8(put(`${at}base: &s text\n${at}list:\n` + `${indent}  - *s\n`.repeat(1500))) },
    { label: 'two levels of laughs', bytes: utf8(put(`${at}x:\n` + laughs(2, indent + '  '))) },
    { label: 'three levels of laughs', bytes: utf8(put(`${at}x:\n` + laughs(3, indent + '  '))) },
    { label: 'a billion laughs', bytes: utf8(put(`${at}x:\n` + laughs(7, indent + '  '))) },
    { label: 'an anchor that contains its alias', bytes: utf8(put(`${at}x: &c [1, *c]\n`)) },
  );
  return cases;
}

const PATRONI = 'scope: demo\nname: pg1\nrestapi:\n  listen: 0.0.0.0:8008\n  connect_address: 10.0.0.1:8008\netcd3:\n  hosts: 10.0.0.5:2379\ntags:\n  nofailover: false\n';

test('Patroni: hostile files are refused where Patroni refuses them, read alike otherwise', (t) => {
  const found = findPython();
  assert.ok(!('missing' in found), 'missing' in found ? found.missing : '');
  const cases = variants(PATRONI, '  ', '  ').map((c) => ({ ...c, label: `patroni.yml, ${c.label}` }));
  // yaml.safe_load reads a single document.
  for (const [label, text] of [
    ['a second document', PATRONI + '---\nname: pg2\n'],
    ['an empty second document', PATRONI + '---\n'],
    ['a document end, then comments', PATRONI + '...\n# end\n'],
    ['comments, then a document start', '# member\n---\n' + PATRONI],
  ]) {
    cases.push({ label: `patroni.yml, ${label}`, bytes: utf8(text) });
  }
  const theirs = loadAsPatroni(found.python, cases.map((c) => c.bytes));
  const tally = newTally();
  const disagreements: string[] = [];
  let notValidated = 0;
  cases.forEach((c, i) => {
    const py = theirs[i];
    const { text, diags } = ourReading('patroni.yml', c.bytes);
    const refused = diags.some((d) => d.code === 'patroni/syntax');
    const skipped = diags.some((d) => d.code === 'hatopo/not-validated');
    if (py.error !== undefined) {
      if (refused) tally.refusedByBoth++;
      else disagreements.push(`${c.label}: Patroni refuses it (${py.error}); we report no patroni/syntax error`);
    } else if (refused) {
      disagreements.push(`${c.label}: Patroni reads it; we report ${diags.filter((d) => d.code === 'patroni/syntax').map((d) => d.message).join('; ')}`);
    } else if (skipped || py.unprinted) {
      // Not validated, and saying so: only where Patroni reads a value too large or cyclic to walk, or nested past hatopo's limit.
      if (skipped && (py.unprinted || /nested/.test(c.label))) notValidated++;
      else disagreements.push(`${c.label}: ${skipped ? 'we did not validate it' : `Patroni reads a ${py.unprinted} value`}; ${skipped ? 'Patroni reads it' : 'we validated it'}`);
    } else if (!c.verdictOnly) {
      compare(c.label, text, [{ value: py.value }], tally);
    } else {
      tally.agree++;
    }
  });
  disagreements.push(...tally.disagreements);
  t.diagnostic(`${cases.length} files: ${tally.agree} read the same, ${tally.refusedByBoth} refused by both, ${notValidated} read by Patroni and reported as not validated, ${disagreements.length} disagree`);
  assert.deepEqual(disagreements, []);
  assert.ok(tally.agree > 10 && tally.refusedByBoth > 10 && notValidated >= 3);
});

const THING = 'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: x\nspec:\n  a: one\n';

test('kubectl: hostile manifests are refused where kubectl refuses them, read alike otherwise', (t) => {
  const found = findKubectl();
  assert.ok(!('missing' in found), 'missing' in found ? found.missing : '');
  const cases = variants(THING, '  ', '  ');
  // Past kubectl's own limit on nesting, for block collections too: sequences nested on one line (`- - - v`).
  const seqs = (n: number) => utf8(THING + '  x:\n    ' + '- '.repeat(n) + 'v\n');
  cases.push({ label: '9,998 nested block sequences', bytes: seqs(9998), verdictOnly: true }, { label: '9,999 nested block sequences', bytes: seqs(9999), verdictOnly: true });
  // Two documents split by a lone CR: kubectl reads the first only.
  cases.push({ label: 'two documents, lone CR', bytes: utf8((THING + '---\n' + THING.replace('name: x', 'name: y')).replace(/\n/g, '\r')) });
  const ours = cases.map((c) => {
    const { text, diags } = ourReading('manifest.yaml', c.bytes);
    const model = parseKubernetes({ uri: 'file:///hostile/manifest.yaml', text, kind: 'kubernetes' }, DEFAULT_SETTINGS);
    const first = model.documents[0];
    // Our refusal of the first document: a syntax error inside it (a hidden second document's error is not one).
    const end = model.documents[1]?.start ?? text.length;
    const refused = diags.filter((d) => d.code === 'kubernetes/syntax').some((d) => lineOffset(text, d.range.start.line, d.range.start.character) < end);
    return { first, refused, skipped: !!first?.yaml.unvalidated };
  });
  const full = cases.filter((c) => !c.verdictOnly);
  const fullReads = readWithKubectl(found.kubectl, full.map((c) => c.bytes), () => 1);
  const reads = cases.map((c) => (c.verdictOnly ? kubectlVerdict(found.kubectl, c.bytes) : fullReads[full.indexOf(c)]));
  const disagreements: string[] = [];
  let agree = 0;
  let refusedByBoth = 0;
  let notValidated = 0;
  cases.forEach((c, i) => {
    const read = reads[i];
    const mine = ours[i];
    if (read.error !== undefined) {
      if (mine.refused) refusedByBoth++;
      else disagreements.push(`${c.label}: kubectl refuses it (${read.error}); we report no kubernetes/syntax error`);
      return;
    }
    if (mine.refused) return void disagreements.push(`${c.label}: kubectl reads it; we report a kubernetes/syntax error`);
    if (mine.skipped) return void notValidated++;
    if (c.verdictOnly) return void agree++;
    const theirs = structuredClone(read.objects![0]);
    delete ((theirs.metadata as Record<string, unknown>).labels as Record<string, unknown>)[LABEL_KEY];
    const meta = theirs.metadata as Record<string, unknown>;
    if (isRecord(meta.labels) && Object.keys(meta.labels).length === 0) delete meta.labels;
    try {
      assert.deepStrictEqual(mine.first?.value, theirs);
      agree++;
    } catch {
      disagreements.push(`${c.label}: we read ${JSON.stringify(mine.first?.value).slice(0, 300)}, kubectl ${JSON.stringify(theirs).slice(0, 300)}`);
    }
  });
  t.diagnostic(`kubectl ${found.version}: ${cases.length} files: ${agree} read the same, ${refusedByBoth} refused by both, ${notValidated} read by kubectl and reported as not validated, ${disagreements.length} disagree`);
  assert.deepEqual(disagreements, []);
  assert.ok(agree > 10 && refusedByBoth > 10 && notValidated >= 3);
});

/** Whether kubectl reads a file, without printing its objects. */
function kubectlVerdict(kubectl: string, bytes: Buffer): { error?: string; objects?: Record<string, unknown>[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-kubectl-'));
  try {
    writeFileSync(join(dir, 'd.yaml'), bytes);
    const r = spawnSync(kubectl, ['label', '--local', '-f', join(dir, 'd.yaml'), `${LABEL_KEY}=1`, '-o', 'name'], { encoding: 'utf8', timeout: 120_000 });
    if (r.error) throw r.error;
    return r.status === 0 ? { objects: [] } : { error: r.stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The offset of a line and character counted as LineIndex counts them (LF, CRLF and CR break lines). */
function lineOffset(text: string, line: number, character: number): number {
  let at = 0;
  for (let l = 0; l < line; l++) {
    const m = /\r\n|\r|\n/g;
    m.lastIndex = at;
    const hit = m.exec(text);
    if (!hit) return text.length;
    at = hit.index + hit[0].length;
  }
  return at + character;
}
