import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS } from '../../server/src/core';
import { formatFloat32, goResolve } from '../../server/src/core/documents/yaml/kubectl-schema';
import { parseKubernetes } from '../../server/src/core/documents/yaml/kubernetes';
import { parsePatroni } from '../../server/src/core/documents/yaml/patroni';
import { pyFloat, pyInt, pyTimestamp, YamlTimestamp } from '../../server/src/core/documents/yaml/pyyaml-schema';
import { compareChunk } from '../helpers/block-reader-diff';
import { TRICKY_KEYS, TRICKY_SCALARS } from '../helpers/tricky-scalars';

/** What Patroni's checks see of `value: <scalar>`, and the document's errors. */
function patroni(scalar: string): { value: unknown; errors: string[] } {
  const m = parsePatroni({ uri: 'file:///p/patroni.yml', text: `scope: s\nvalue: ${scalar}\n`, kind: 'patroni' }, DEFAULT_SETTINGS);
  return { value: m.config?.value, errors: m.document?.errors.map((e) => e.code) ?? [] };
}

/** What the Kubernetes checks see of a ConfigMap's `data.value: <scalar>`, and the document's errors. */
function kubectl(scalar: string, key = 'value'): { value: unknown; data: Record<string, unknown>; errors: string[] } {
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  ${key}: ${scalar}\n`;
  const d = parseKubernetes({ uri: 'file:///k/m.yaml', text, kind: 'kubernetes' }, DEFAULT_SETTINGS).documents[0];
  const data = (d.value as { data: Record<string, unknown> }).data;
  return { value: data[key], data, errors: d.yaml.errors.map((e) => e.code) };
}

test('PyYAML: y and n are strings; yes/no/on/off and true/false in their three cases are booleans', () => {
  for (const s of ['y', 'Y', 'n', 'N', 'yEs', 'oN', 'tRUE', 't', 'f']) assert.equal(patroni(s).value, s, s);
  for (const s of ['yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']) assert.equal(patroni(s).value, true, s);
  for (const s of ['no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']) assert.equal(patroni(s).value, false, s);
  for (const s of ['~', 'null', 'Null', 'NULL', '']) assert.equal(patroni(s).value, null, JSON.stringify(s));
  assert.equal(patroni('nULL').value, 'nULL');
});

test('PyYAML: integers in every form it resolves', () => {
  const cases: [string, unknown][] = [
    ['0755', 493], ['-0755', -493], ['0b101', 5], ['+0b1_01', 5], ['0x1F', 31], ['-0x1f', -31], ['0X1F', '0X1F'], ['0o17', '0o17'],
    ['1_000', 1000], ['1:30', 90], ['-1:30:00', -5400], ['1:60', '1:60'], ['0:30', '0:30'], ['08', '08'], ['00', 0], ['-0', 0],
    ['12345678901234567890', 12345678901234567890],
  ];
  for (const [s, v] of cases) assert.deepEqual(patroni(s).value, v, s);
  assert.equal(pyInt('0b_'), undefined);
});

test('PyYAML: floats need a dot, and a signed exponent; 1e3 is a string', () => {
  const cases: [string, unknown][] = [
    ['1e3', '1e3'], ['1.0e+3', 1000], ['1.0e3', '1.0e3'], ['1.e-3', 0.001], ['.5', 0.5], ['-.5', '-.5'], ['1.', 1], ['1_0.5_0', 10.5],
    ['1:30.5', 90.5], ['.inf', Infinity], ['-.Inf', -Infinity], ['+.INF', Infinity], ['.iNf', '.iNf'], ['-.nan', '-.nan'],
  ];
  for (const [s, v] of cases) assert.deepEqual(patroni(s).value, v, s);
  assert.ok(Number.isNaN(patroni('.NaN').value));
  assert.ok(Object.is(pyFloat('-0.0'), -0));
});

test('PyYAML: timestamps are dates, not strings; impossible dates make the file unreadable', () => {
  const d = patroni('2001-12-14').value;
  assert.ok(d instanceof YamlTimestamp);
  assert.equal(d.iso, '2001-12-14');
  assert.equal((patroni('2001-12-14 21:59:43.10 -5').value as YamlTimestamp).iso, '2001-12-14T21:59:43.100000-05:00');
  assert.equal((pyTimestamp('2001-12-14t21:59:43Z') as YamlTimestamp).iso, '2001-12-14T21:59:43+00:00');
  assert.equal(patroni('2001-1-14').value, '2001-1-14');
  assert.deepEqual(patroni('2001-02-30').errors, ['TAG_RESOLVE_FAILED']);
});

test('PyYAML: quoted scalars are strings; explicit tags are constructed; = cannot be', () => {
  assert.equal(patroni('"on"').value, 'on');
  assert.equal(patroni("'0755'").value, '0755');
  assert.equal(patroni('!!str 0755').value, '0755');
  assert.equal(patroni('!!int "0755"').value, 493);
  assert.equal(patroni('!!float "1"').value, 1);
  assert.equal(patroni('! 12').value, 12);
  assert.deepEqual(patroni('=').errors, ['TAG_RESOLVE_FAILED']);
  assert.deepEqual(patroni('!!bool "y"').errors, ['TAG_RESOLVE_FAILED']);
  assert.deepEqual(patroni('!custom x').errors, ['TAG_RESOLVE_FAILED']);
  const keys = parsePatroni({ uri: 'file:///p/patroni.yml', text: 'scope: s\n=: a\nyes: b\n0755: c\n<<: {d: 1}\n', kind: 'patroni' }, DEFAULT_SETTINGS).config;
  assert.deepEqual(keys, { scope: 's', '=': 'a', true: 'b', 493: 'c', d: 1 });
});

test('kubectl: y, n, yes, on, off and the rest are booleans; ints by strconv.ParseInt with base prefixes', () => {
  for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']) assert.equal(kubectl(s).value, true, s);
  for (const s of ['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']) assert.equal(kubectl(s).value, false, s);
  for (const s of ['yEs', 'oN', 't', '=', '<<', '1:30', '2001-12-14', '0x', '._5', '.5__5', '1e999']) assert.equal(kubectl(s).value, s, s);
  const cases: [string, unknown][] = [
    ['0755', 493], ['0o17', 15], ['0O17', 15], ['0x1F', 31], ['0X1F', 31], ['0b101', 5], ['0B11', 3], ['-0b101', -5], ['0b-101', -5],
    ['1_000', 1000], ['08', 8], ['1e3', 1000], ['1E3', 1000], ['.5', 0.5], ['+.5', 0.5], ['1.', 1], ['.5_5', 0.55], ['1e-999', 0],
    ['9223372036854775808', 9223372036854775808], ['~', null], ['', null],
  ];
  for (const [s, v] of cases) assert.deepEqual(kubectl(s).value, v, s);
  assert.equal(goResolve('9223372036854775808').type, 'uint');
});

test('kubectl: mapping keys become JSON property names as sigs.k8s.io/yaml writes them', () => {
  assert.deepEqual(Object.keys(kubectl('x', 'y').data), ['true']);
  assert.deepEqual(Object.keys(kubectl('x', '0755').data), ['493']);
  assert.deepEqual(Object.keys(kubectl('x', '1e6').data), ['1e+06']);
  assert.deepEqual(Object.keys(kubectl('x', '.inf').data), ['.inf']);
  for (const [f, s] of [[0.1, '0.1'], [1e-5, '1e-05'], [3.14159265358979, '3.1415927'], [123456.7, '123456.7'], [1e21, '1e+21'], [-0, '-0'], [0.0001, '0.0001'], [1, '1']] as const) {
    assert.equal(formatFloat32(f), s, String(f));
  }
});

test('kubectl: infinity, NaN, null keys and keys past int64 make the file unreadable; a timestamp stays text', () => {
  for (const s of ['.inf', '-.Inf', '.nan']) assert.deepEqual(kubectl(s).errors, ['TAG_RESOLVE_FAILED'], s);
  assert.deepEqual(kubectl('x', '~').errors, ['TAG_RESOLVE_FAILED']);
  assert.deepEqual(kubectl('x', '9223372036854775808').errors, ['TAG_RESOLVE_FAILED']);
  assert.equal(kubectl('2001-12-14 21:59:43.10 -5').value, '2001-12-14 21:59:43.10 -5');
  assert.equal(kubectl('!!int "0755"').value, 493);
  assert.equal(kubectl('!!str on').value, 'on');
  assert.equal(kubectl('"on"').value, 'on');
});

test('the block reader resolves every tricky scalar, as a key and as a value, exactly as yaml does with kubectl\'s rules', () => {
  const tally = { same: 0, declined: 0 };
  const diffs: string[] = [];
  for (const s of TRICKY_SCALARS) {
    const texts = [`kind: A\ndata:\n  v: ${s}\n  l:\n    - ${s}\n  f: [${s}, x]\n`, ...(TRICKY_KEYS.includes(s) ? [`kind: A\ndata:\n  ${s}: x\n  n:\n    ${s}: [${s}]\n`] : [])];
    for (const text of texts) {
      const o = compareChunk(text, 0, text.length);
      if (o === 'same' || o === 'declined') tally[o]++;
      else diffs.push(`${JSON.stringify(s)}: ${o.differs}`);
    }
  }
  assert.deepEqual(diffs, []);
  assert.ok(tally.same > 2 * tally.declined, `read ${tally.same}, declined ${tally.declined}`);
});
