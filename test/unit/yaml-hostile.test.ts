// Hostile YAML: aliases, deep nesting, byte-order marks, other line breaks, characters the readers
// refuse. Every document is either validated or reported as not validated, never silently dropped.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEngine } from '../../server/src/core';
import type { Diagnostic, DocumentInput } from '../../server/src/core';

function validate(name: string, text: string, extra: Partial<DocumentInput> = {}): Diagnostic[] {
  const logged: string[] = [];
  const engine = createEngine({ logger: { info: () => undefined, error: (m) => logged.push(m) } });
  const diags = engine.validate({ uri: `file:///hostile/${name}`, text, ...extra });
  // An internal error must show as a diagnostic; nothing here should cause one.
  assert.deepEqual(logged, [], 'nothing is logged');
  return diags;
}

const codes = (diags: Diagnostic[]) => diags.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`);
const has = (diags: Diagnostic[], code: string, line: number) => diags.some((d) => d.code === code && d.range.start.line === line);

// A ConfigMap whose data value is a number: kubernetes/unquoted-string on line 5.
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: 1\n';
// A Patroni member whose ttl breaks the timing rule (patroni/timing on line 6).
const PATRONI = 'scope: demo\nrestapi:\n  listen: 0.0.0.0:8008\n  connect_address: 10.0.0.1:8008\netcd3:\n  hosts: 10.0.0.5:2379\nbootstrap:\n  dcs:\n    ttl: 20\n    loop_wait: 10\n    retry_timeout: 10\n';
const THING = 'apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: x\nspec:\n';

function laughs(levels: number): string {
  let s = '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  const names = 'bcdefghijklmnopq';
  let prev = 'a';
  for (let i = 0; i < levels; i++) {
    const n = names[i];
    s += `  ${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = n;
  }
  return s;
}

describe('aliases', () => {
  test('1,000 aliases of a small mapping are read and validated, as kubectl reads them', () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations: &a {k: v}\ndata:\n';
    for (let j = 0; j < 1000; j++) text += `  d${j}: *a\n`;
    const diags = validate('aliases.yaml', text);
    assert.ok(!diags.some((d) => d.code === 'kubernetes/syntax'), codes(diags).slice(0, 5).join('\n'));
    // Validated: every data entry is a mapping where a string belongs.
    assert.ok(has(diags, 'kubernetes/schema', 6), codes(diags).slice(0, 5).join('\n'));
    assert.ok(has(diags, 'kubernetes/schema', 1005));
  });

  test('1,500 aliases of a scalar in a Patroni file are read and validated, as PyYAML reads them', () => {
    let text = PATRONI + 'postgresql:\n  pg_hba:\n    - &h host all all 10.0.0.0/8 md5\n';
    for (let j = 0; j < 1500; j++) text += '    - *h\n';
    const diags = validate('patroni.yml', text);
    assert.ok(!diags.some((d) => d.code === 'patroni/syntax' || d.code.startsWith('hatopo/')), codes(diags).join('\n'));
    assert.ok(has(diags, 'patroni/timing', 8), codes(diags).join('\n'));
  });

  test('a billion laughs: kubectl refuses the document (excessive aliasing), at once', () => {
    const diags = validate('laughs.yaml', THING + laughs(8));
    const syntax = diags.filter((d) => d.code === 'kubernetes/syntax');
    assert.equal(syntax.length, 1, codes(diags).join('\n'));
    assert.equal(syntax[0].severity, 'error');
    // Where the expansion goes past what go-yaml allows: the first alias of `d`'s list.
    assert.equal(syntax[0].range.start.line, 8);
  });

  test('two levels of laughs are within what kubectl expands, three are not', () => {
    assert.deepEqual(codes(validate('laughs2.yaml', THING + laughs(2))), []);
    assert.ok(has(validate('laughs3.yaml', THING + laughs(3)), 'kubernetes/syntax', 8));
  });

  test('a billion laughs in a Patroni file: PyYAML reads it, hatopo reports that it did not validate it', () => {
    const diags = validate('patroni.yml', PATRONI + 'tags:\n' + laughs(8));
    const not = diags.filter((d) => d.code === 'hatopo/not-validated');
    assert.equal(not.length, 1, codes(diags).join('\n'));
    assert.equal(not[0].severity, 'error');
  });

  test('an anchor that contains its own alias: kubectl refuses it, a Patroni file is not validated', () => {
    assert.ok(has(validate('cycle.yaml', THING + '  a: &a [1, *a]\n'), 'kubernetes/syntax', 5));
    const diags = validate('patroni.yml', PATRONI + 'tags: &t {a: *t}\n');
    assert.ok(has(diags, 'hatopo/not-validated', 11), codes(diags).join('\n'));
  });

  test('an unknown alias is still a syntax error', () => {
    assert.ok(has(validate('unknown.yaml', THING + '  a: *nowhere\n'), 'kubernetes/syntax', 5));
  });
});

function deepBlock(levels: number, indent = '  '): string {
  let s = '';
  for (let i = 0; i < levels; i++) s += indent + ' '.repeat(i) + `k${i}:\n`;
  return s;
}

describe('deep nesting', () => {
  test('2,000 nested keys: the document is reported as not validated, the one before it still is', () => {
    const text = CONFIGMAP + '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n' + deepBlock(2000);
    const diags = validate('deep.yaml', text);
    assert.ok(has(diags, 'kubernetes/unquoted-string', 5), codes(diags).slice(0, 5).join('\n'));
    const not = diags.filter((d) => d.code === 'hatopo/not-validated');
    assert.equal(not.length, 1, codes(diags).slice(0, 5).join('\n'));
    assert.ok(not[0].range.start.line > 12 && not[0].range.start.line < 2012);
    assert.ok(!diags.some((d) => d.code === 'kubernetes/syntax'));
  });

  test('past 10,000 levels kubectl refuses the document (exceeded max depth)', () => {
    // Nested block sequences on one line (`- - - v`): deep, and short.
    const seqs = (n: number) => THING + '  x:\n    ' + '- '.repeat(n) + 'v\n';
    const block = validate('deeper.yaml', seqs(9999));
    assert.ok(has(block, 'kubernetes/syntax', 6), codes(block).slice(0, 5).join('\n'));
    assert.deepEqual(codes(validate('deep.yaml', seqs(9998))).map((c) => c.split(' ')[1]), ['hatopo/not-validated']);
    const flow = validate('flow.yaml', THING + '  x: ' + '['.repeat(10001) + ']'.repeat(10001) + '\n');
    assert.ok(has(flow, 'kubernetes/syntax', 5), codes(flow).slice(0, 5).join('\n'));
  });

  test('9,998 nested flow sequences (10,000 levels in all, as kubectl reads): not validated, no stack overflow', () => {
    const diags = validate('flow.yaml', CONFIGMAP + '---\n' + THING + '  x: ' + '['.repeat(9998) + ']'.repeat(9998) + '\n');
    assert.deepEqual(
      diags.map((d) => `${d.range.start.line} ${d.code}`),
      ['5 kubernetes/unquoted-string', '12 hatopo/not-validated'],
    );
  });

  test('Patroni: deeper than PyYAML reads is a syntax error; 100 levels are read', () => {
    for (const text of [PATRONI + 'tags:\n' + deepBlock(600), PATRONI + 'tags:\n' + deepBlock(3000), PATRONI + 'tags: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n']) {
      const diags = validate('patroni.yml', text);
      assert.ok(diags.some((d) => d.code === 'patroni/syntax' && d.range.start.line >= 11), codes(diags).slice(0, 5).join('\n'));
      assert.ok(!diags.some((d) => d.code.startsWith('hatopo/')), codes(diags).slice(0, 5).join('\n'));
    }
    const ok = validate('patroni.yml', PATRONI + 'tags:\n' + deepBlock(100));
    assert.ok(!ok.some((d) => d.code === 'patroni/syntax' || d.code.startsWith('hatopo/')), codes(ok).join('\n'));
    assert.ok(has(ok, 'patroni/timing', 8));
  });

  test('at the deepest level validated, nothing overflows the stack, even with much of it in use', () => {
    // A CustomResourceDefinition is validated by a recursive schema, as deep as its value goes.
    let crd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\nspec:\n  group: example.com\n  names: {kind: Thing, plural: things}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n';
    let pad = '        ';
    for (let i = 0; i < 120; i++) {
      crd += `${pad}type: object\n${pad}properties:\n${pad}  p:\n`;
      pad += '    ';
    }
    crd += `${pad}type: string\n`;
    const docs: Array<[string, string]> = [
      ['deep.yaml', CONFIGMAP + '---\n' + THING + deepBlock(255)],
      ['crd.yaml', crd],
      ['patroni.yml', PATRONI + 'tags:\n' + deepBlock(255)],
      ['flow.yaml', THING + '  x: ' + '['.repeat(254) + ']'.repeat(254) + '\n'],
    ];
    const engine = createEngine({ logger: { info: () => undefined, error: (m) => assert.fail(m.slice(0, 500)) } });
    for (const [name, text] of docs) {
      const uri = `file:///deep/${name}`;
      const run = () => {
        const diags = engine.validate({ uri, text });
        assert.ok(!diags.some((d) => d.code.startsWith('hatopo/') || d.code.endsWith('/syntax')), `${name}: ${codes(diags).slice(0, 5).join('\n')}`);
        engine.symbols({ uri, text });
        const last = text.split('\n').length - 2;
        engine.hover({ uri, text }, { line: last, character: text.split('\n')[last].length - 2 });
        engine.complete({ uri, text }, { line: last, character: text.split('\n')[last].length - 1 });
      };
      // Half of the stack in use, as under a language server's own frames.
      withStackInUse(0.5, run);
      engine.forget(uri);
    }
  });
});

test('a stack that runs out while a document is read is no syntax error: it is reported as not analysed', () => {
  const logged: string[] = [];
  const engine = createEngine({ logger: { info: () => undefined, error: (m) => logged.push(m) } });
  const text = THING + '  x: ' + '['.repeat(250) + ']'.repeat(250) + '\n';
  let diags: Diagnostic[] = [];
  withStackInUse(0.92, () => {
    diags = engine.validate({ uri: 'file:///deep/exhausted.yaml', text });
  });
  assert.ok(diags.some((d) => d.code.startsWith('hatopo/')), codes(diags).join('\n'));
  assert.ok(!diags.some((d) => d.code === 'kubernetes/syntax'), codes(diags).join('\n'));
});

/** Runs `fn` with about `share` of the stack already used by frames below it. */
function withStackInUse(share: number, fn: () => void): void {
  // One function measures the stack and descends it, so that both count frames of the same size.
  let deepest = 0;
  const descend = (n: number, target: number): void => {
    deepest = n;
    if (n === target) return fn();
    descend(n + 1, target);
  };
  try {
    descend(0, -1);
  } catch {
    // the stack is measured
  }
  descend(0, Math.floor(deepest * share));
}

describe('byte-order mark, line breaks, characters the readers refuse', () => {
  test('a byte-order mark before apiVersion: recognised, validated, positions as the editor counts them', () => {
    const diags = validate('bom.yaml', '\ufeff' + CONFIGMAP);
    assert.deepEqual(codes(diags), ['5:5 kubernetes/unquoted-string']);
    const patroni = validate('member.yml', '\ufeff' + PATRONI);
    assert.ok(has(patroni, 'patroni/timing', 8), codes(patroni).join('\n'));
  });

  test('a Patroni file with lone CR line breaks is read as PyYAML reads it', () => {
    const diags = validate('patroni.yml', PATRONI.replace(/\n/g, '\r'));
    assert.deepEqual(codes(diags), ['8:4 patroni/timing']);
    // Recognised by its content too, whatever its name.
    const named = validate('member.yml', PATRONI.replace(/\n/g, '\r'));
    assert.deepEqual(codes(named), ['8:4 patroni/timing']);
    const noLeak = validate('patroni.yml', ('# comment\n' + PATRONI).replace(/\n/g, '\r'));
    assert.deepEqual(codes(noLeak), ['9:4 patroni/timing']);
  });

  test('NEL, LS and PS break lines for PyYAML and kubectl alike; the editor keeps them on one line', () => {
    for (const nl of ['\u0085', '\u2028', '\u2029']) {
      const diags = validate('patroni.yml', PATRONI.replace(/\n/g, nl));
      assert.deepEqual(codes(diags), [`0:${PATRONI.indexOf('ttl')} patroni/timing`], JSON.stringify(nl));
      const k = validate('cm.yaml', CONFIGMAP.replace(/\n/g, nl));
      assert.deepEqual(codes(k), [`0:${CONFIGMAP.indexOf('a: 1') + 3} kubernetes/unquoted-string`], JSON.stringify(nl));
    }
  });

  test('a manifest with lone CR line breaks: kubectl reads its first document and ignores the others', () => {
    const text = (CONFIGMAP + '---\n' + CONFIGMAP.replace('name: a', 'name: b')).replace(/\n/g, '\r');
    const diags = validate('cr.yaml', text);
    assert.ok(has(diags, 'kubernetes/unquoted-string', 5), codes(diags).join('\n'));
    // The second document is validated too, and reported as one kubectl does not see.
    assert.ok(has(diags, 'kubernetes/unquoted-string', 12), codes(diags).join('\n'));
    assert.ok(has(diags, 'kubernetes/syntax', 6), codes(diags).join('\n'));
    // With CRLF every document is seen.
    const crlf = validate('crlf.yaml', (CONFIGMAP + '---\n' + CONFIGMAP).replace(/\n/g, '\r\n'));
    assert.deepEqual(codes(crlf), ['5:5 kubernetes/unquoted-string', '12:5 kubernetes/unquoted-string']);
  });

  test('NUL and other characters both readers refuse are errors where they stand', () => {
    for (const c of ['\0', '\x01', '\x7f', '\x80', '\ufffe', '\ud800']) {
      const p = validate('patroni.yml', PATRONI + `tags:\n  nofailover: a${c}b\n`);
      assert.ok(p.some((d) => d.code === 'patroni/syntax' && d.range.start.line === 12 && d.range.start.character === 15), `${JSON.stringify(c)}: ${codes(p).join('\n')}`);
      // In a comment too.
      assert.ok(has(validate('patroni.yml', PATRONI + `# a${c}\n`), 'patroni/syntax', 11));
      // A manifest: only the document that holds it.
      const k = validate('two.yaml', CONFIGMAP + '---\n' + CONFIGMAP.replace('a: 1', `b: "x${c}"`));
      assert.deepEqual(codes(k), ['5:5 kubernetes/unquoted-string', '12:7 kubernetes/syntax'], JSON.stringify(c));
    }
    // Tab, no-break space, U+FFFD and astral characters are allowed.
    assert.deepEqual(codes(validate('ok.yaml', CONFIGMAP.replace('a: 1', 'a: "\u00a0\ufffd\u{1F600}\t"'))), []);
  });

  test('a second document in a Patroni file: yaml.safe_load reads a single one, so Patroni stops', () => {
    for (const [tail, line] of [['---\nname: pg1\n', 11], ['---\n', 11], ['...\n---\n', 12]] as const) {
      const diags = validate('patroni.yml', PATRONI + tail);
      assert.ok(has(diags, 'patroni/syntax', line), `${JSON.stringify(tail)}: ${codes(diags).join('\n')}`);
      // The first document is validated all the same.
      assert.ok(has(diags, 'patroni/timing', 8));
    }
    for (const text of ['# member\n---\n' + PATRONI, PATRONI + '...\n# end\n']) assert.ok(!validate('patroni.yml', text).some((d) => d.code === 'patroni/syntax'), JSON.stringify(text));
  });

  test('a file read from disk as UTF-16 or with bytes that are not UTF-8: Patroni cannot read it, kubectl can', () => {
    const u16 = validate('patroni.yml', PATRONI, { encoding: { name: 'utf-16le' } });
    assert.ok(has(u16, 'patroni/syntax', 0), codes(u16).join('\n'));
    // Its content is validated all the same.
    assert.ok(has(u16, 'patroni/timing', 8));
    assert.deepEqual(codes(validate('cm.yaml', CONFIGMAP, { encoding: { name: 'utf-16be' } })), ['5:5 kubernetes/unquoted-string']);
    const at = PATRONI.indexOf('demo') + 1;
    const bad = PATRONI.slice(0, at) + '\ufffd' + PATRONI.slice(at + 1);
    const p = validate('patroni.yml', bad, { encoding: { name: 'utf-8', invalid: { offset: at, byteOffset: at } } });
    assert.ok(p.some((d) => d.code === 'patroni/syntax' && d.range.start.line === 0 && d.range.start.character === at), codes(p).join('\n'));
    const name = CONFIGMAP.indexOf('name: a') + 6;
    const k = validate('cm.yaml', CONFIGMAP.replace('name: a', 'name: \ufffd'), { encoding: { name: 'utf-8', invalid: { offset: name, byteOffset: name } } });
    assert.deepEqual(codes(k), ['5:5 kubernetes/unquoted-string']);
  });
});

test('a document reported as not validated keeps its range when an edit above it moves it', () => {
  const uri = 'file:///hostile/moved/manifest.yaml';
  const text = `${CONFIGMAP}---\n${CONFIGMAP.replace('data:\n  a: 1\n', `data:\n${deepBlock(300)}`)}`;
  const live = createEngine();
  const before = live.validate({ uri, text }).filter((d) => d.code === 'hatopo/not-validated');
  assert.equal(before.length, 1);
  const edited = `# a comment\n${text}`;
  const after = live.validate({ uri, text: edited }).filter((d) => d.code === 'hatopo/not-validated');
  assert.deepEqual(after, createEngine().validate({ uri, text: edited }).filter((d) => d.code === 'hatopo/not-validated'));
  assert.equal(after[0].range.start.line, before[0].range.start.line + 1);
});
