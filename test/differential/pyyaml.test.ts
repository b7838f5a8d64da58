import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Document } from 'yaml';
import { isScalar } from 'yaml';
import { PATRONI_YAML } from '../../server/src/core/documents/yaml/patroni';
import { pyyamlTypeOf, YamlTimestamp } from '../../server/src/core/documents/yaml/pyyaml-schema';
import type { PathSegment, YamlDocument } from '../../server/src/core/documents/yaml/yaml-document';
import { nodeAtPath, parseYaml, resolveAlias } from '../../server/src/core/documents/yaml/yaml-document';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import type { PyDocument, PyValue } from './yaml/pyyaml-oracle';
import { findPython, loadWithPyYaml } from './yaml/pyyaml-oracle';
import { TRICKY_KEYS, TRICKY_SCALARS } from '../helpers/tricky-scalars';

/*
 * Patroni reads its file with PyYAML's safe loader; the engine reads it with the `yaml` library and
 * a schema of PyYAML's rules. Both read the same texts, document by document: every value the
 * checks see must be the one PyYAML constructs (type included: int or float, date or string), and
 * a document PyYAML refuses must be one we report an error in.
 *
 * Mapping keys: PyYAML keeps booleans, numbers, None and dates as keys; the engine's values are
 * plain objects whose property names are strings. A PyYAML key is compared as the property name
 * it becomes: String() of its value (`true`, `493`, `Infinity`), '' for None, the text of a date.
 */

/** The PyYAML type of the number at `path`, from the scalar that wrote it. */
function numberKind(doc: Document.Parsed, path: PathSegment[]): 'int' | 'float' | undefined {
  const node = resolveAlias(doc, nodeAtPath(doc, path));
  if (!isScalar(node) || typeof node.source !== 'string') return undefined;
  const tag = node.tag && node.tag !== '!' ? node.tag.replace(/^tag:yaml.org,2002:/, '') : pyyamlTypeOf(node.source);
  return tag === 'int' || tag === 'float' ? tag : undefined;
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Our value in a comparable form: numbers tagged int or float by the scalar they come from. */
function ours(v: unknown, doc: Document.Parsed, path: PathSegment[]): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    const kind = numberKind(doc, path);
    return kind ? { [kind]: v } : { number: v, at: path.join('.') };
  }
  if (v instanceof YamlTimestamp) return v.hasTime ? { datetime: v.iso } : { date: v.iso };
  if (Array.isArray(v)) return v.map((x, i) => ours(x, doc, [...path, i]));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) setKey(out, k, ours(x, doc, [...path, k]));
    return out;
  }
  return { other: typeof v };
}

const pyNumber = (s: string): number => (s === 'nan' ? NaN : s === 'inf' ? Infinity : s === '-inf' ? -Infinity : Number(s));

/** The property name a PyYAML key becomes in the engine's value. */
function keyName(k: PyValue): string {
  if (k === null) return '';
  if (typeof k === 'boolean' || typeof k === 'string') return String(k);
  if (Array.isArray(k)) return JSON.stringify(k);
  if ('int' in k) return String(Number(BigInt(k.int)));
  if ('float' in k) return String(pyNumber(k.float));
  if ('date' in k) return k.date;
  return JSON.stringify(k);
}

/** PyYAML's value in the same form: Python ints are exact, the engine's numbers doubles (the nearest one stands for a larger int). */
function theirs(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(theirs);
  if ('int' in v) return { int: Number(BigInt(v.int)) };
  if ('float' in v) return { float: pyNumber(v.float) };
  if ('map' in v) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v.map) setKey(out, keyName(k), theirs(x));
    return out;
  }
  return v;
}

/** Our problems that PyYAML has no equivalent of: a repeated key is a warning (PyYAML keeps the last). */
const refusing = (d: YamlDocument) => d.errors.filter((e) => e.code !== 'DUPLICATE_KEY');

interface Tally {
  documents: number;
  agree: number;
  refusedByBoth: number;
  disagreements: string[];
}

/** Compares one text's documents with PyYAML's. */
function compare(label: string, text: string, py: PyDocument[], tally: Tally): void {
  const docs = parseYaml(text, PATRONI_YAML).documents;
  const differ = (i: number, why: string) => tally.disagreements.push(`${label} (document ${i}): ${why}\n${text.length > 400 ? text.slice(0, 400) + '…' : text}`);
  for (let i = 0; i < py.length; i++) {
    tally.documents++;
    const p = py[i];
    const d = docs[i];
    if (p.error !== undefined) {
      // A syntax error ends PyYAML's stream; we must report an error in this document or a later one.
      const ok = docs.slice(i).some((x) => refusing(x).length > 0);
      if (ok) tally.refusedByBoth++;
      else differ(i, `PyYAML refuses it (${p.error}); we report no error`);
      if (i === py.length - 1) return;
      continue;
    }
    if (!d) {
      differ(i, 'PyYAML reads a document we do not');
      continue;
    }
    if (refusing(d).length > 0) {
      differ(i, `we report ${refusing(d).map((e) => `${e.code} ${e.message}`).join('; ')}; PyYAML reads ${JSON.stringify(p.value)}`);
      continue;
    }
    const a = ours(d.value, d.doc, []);
    const b = theirs(p.value ?? null);
    try {
      assert.deepStrictEqual(a, b);
      tally.agree++;
    } catch {
      differ(i, `we read ${JSON.stringify(a)}, PyYAML ${JSON.stringify(b)}`);
    }
  }
  if (docs.length > py.length && !py.some((p) => p.error !== undefined)) differ(py.length, `we read ${docs.length} documents, PyYAML ${py.length}`);
}

/** Tricky scalars in every place a Patroni file could hold them, one document per text so an error stays in its own. */
function generated(): { label: string; text: string }[] {
  const out: { label: string; text: string }[] = [];
  for (const s of TRICKY_SCALARS) {
    const forms = [
      `scope: demo\nvalue: ${s}\n`,
      `list:\n  - ${s}\n  -   ${s}   # comment\n`,
      `flow: [${s}, x]\n`,
      `map: {k: ${s}}\n`,
      `double: "${s}"\nsingle: '${s}'\n`,
      `str: !!str ${s}\n`,
      `nonspecific: ! ${s}\n`,
      `int: !!int "${s}"\n`,
      `float: !!float "${s}"\n`,
      `bool: !!bool "${s}"\n`,
      `null: !!null "${s}"\n`,
      `timestamp: !!timestamp "${s}"\n`,
      `base: &b {v: ${s}}\nmerged:\n  <<: *b\n  w: ${s}\n`,
    ];
    forms.forEach((text, i) => out.push({ label: `${JSON.stringify(s)} form ${i}`, text }));
  }
  // A date-time key is a datetime object to PyYAML, a property named by its text here: compared as values only.
  for (const k of TRICKY_KEYS.filter((k) => !(pyyamlTypeOf(k) === 'timestamp' && k.length > 10))) out.push({ label: `key ${JSON.stringify(k)}`, text: `${k}: key\nnested:\n  ${k}: [${k}]\n` });
  out.push({ label: 'several documents', text: `scope: a\n---\n# only a comment\n---\nvalue: on\n...\n---\n- 0755\n- 1:30\n` });
  return out;
}

function run(t: { diagnostic: (m: string) => void }, what: string, inputs: { label: string; text: string }[]): void {
  const found = findPython();
  assert.ok(!('missing' in found), 'missing' in found ? found.missing : '');
  const { version, results } = loadWithPyYaml(found.python, inputs.map((i) => i.text));
  const tally: Tally = { documents: 0, agree: 0, refusedByBoth: 0, disagreements: [] };
  inputs.forEach((input, i) => compare(input.label, input.text, results[i], tally));
  t.diagnostic(`PyYAML ${version} (${found.python}), ${what}: ${inputs.length} texts, ${tally.documents} documents, ${tally.agree} read the same, ${tally.refusedByBoth} refused by both, ${tally.disagreements.length} disagree, 0 skipped`);
  assert.deepEqual(tally.disagreements.slice(0, 20), [], `${tally.disagreements.length} disagreements`);
  assert.ok(tally.agree > 0);
}

test('PyYAML and the engine read every tricky scalar alike, in every position and form', (t) => {
  run(t, 'generated documents', generated());
});

test('PyYAML and the engine read every corpus YAML file alike', { skip: corpusSkip }, (t) => {
  const files = corpusFiles().filter((f) => /\.ya?ml$/.test(f));
  assert.ok(files.length > 50, `only ${files.length} YAML files in the corpus`);
  run(t, 'corpus YAML files', files.map((f) => ({ label: f, text: readCorpus(f) })));
});
