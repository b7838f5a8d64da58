import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pyyamlTypeOf } from '../../server/src/core/documents/yaml/pyyaml-schema';
import { corpusFiles, corpusSkip, readCorpus } from '../helpers/corpus';
import { compare, newTally } from './yaml/pyyaml-compare';
import { findPython, loadWithPyYaml } from './yaml/pyyaml-oracle';
import { TRICKY_KEYS, TRICKY_SCALARS } from '../helpers/tricky-scalars';

/*
 * Patroni reads its file with PyYAML's safe loader; the engine reads it with the `yaml` library and
 * a schema of PyYAML's rules. Both read the same texts (yaml/pyyaml-compare.ts compares them).
 */

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
  const tally = newTally();
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
