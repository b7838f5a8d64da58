import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, LineIndex } from '../../server/src/core';
import { dedent, diagnose, engine } from '../helpers/engine';

let n = 0;

/** Applies the preferred (or only) fix of the first `code` diagnostic and returns the new text. */
function applyFix(text: string, code: string): string {
  const uri = `file:///fix/${n++}/haproxy.cfg`;
  const diag = engine.validate({ uri, text }, DEFAULT_SETTINGS).find((d) => d.code === code);
  assert.ok(diag, `no ${code} in:\n${text}`);
  const actions = engine.codeActions({ uri, text }, diag.range, DEFAULT_SETTINGS).filter((a) => a.diagnostic.code === code);
  engine.forget(uri);
  const action = actions.find((a) => a.preferred) ?? actions[0];
  assert.ok(action, `no quick fix for ${code}`);
  const lines = new LineIndex(text);
  const edits = action.edits.map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const codes = (text: string) => diagnose('haproxy.cfg', text).map((d) => d.code);

test('unknown-keyword fix replaces the keyword with the suggestion', () => {
  const fixed = applyFix('backend db\n  balence roundrobin\n', 'haproxy/unknown-keyword');
  assert.equal(fixed, 'backend db\n  balance roundrobin\n');
  assert.ok(!codes(fixed).includes('haproxy/unknown-keyword'));
  const fixed2 = applyFix('backend db\n  option httpchck\n', 'haproxy/unknown-keyword');
  assert.equal(fixed2, 'backend db\n  option httpchk\n');
});

test('unknown-option fix replaces the option', () => {
  const fixed = applyFix('backend db\n  server pg1 10.0.0.1:5432 chek\n', 'haproxy/unknown-option');
  assert.equal(fixed, 'backend db\n  server pg1 10.0.0.1:5432 check\n');
  assert.ok(!codes(fixed).includes('haproxy/unknown-option'));
});

test('undefined-backend fix uses the closest backend name', () => {
  const fixed = applyFix('frontend fe\n  bind :5000\n  default_backend pg_primray\nbackend pg_primary\n', 'haproxy/undefined-backend');
  assert.match(fixed, /default_backend pg_primary\n/);
  assert.ok(!codes(fixed).includes('haproxy/undefined-backend'));
});

test('missing-check fix appends check to the server line, before its comment', () => {
  const text = 'backend db\n  option pgsql-check user postgres\n  server pg1 10.0.0.1:5432 # first\n';
  const fixed = applyFix(text, 'haproxy/missing-check');
  assert.equal(fixed, 'backend db\n  option pgsql-check user postgres\n  server pg1 10.0.0.1:5432 check # first\n');
  assert.ok(!codes(fixed).includes('haproxy/missing-check'));
});

test('patroni-tcp-check fix inserts an HTTP check of /primary after the header, with the section indentation', () => {
  const text = 'listen pg\n    bind :5000\n    server pg1 10.0.0.1:5432 check port 8008\n';
  const fixed = applyFix(text, 'haproxy/patroni-tcp-check');
  assert.equal(fixed, 'listen pg\n    option httpchk OPTIONS /primary\n    http-check expect status 200\n    bind :5000\n    server pg1 10.0.0.1:5432 check port 8008\n');
  const after = codes(fixed);
  assert.ok(!after.includes('haproxy/patroni-tcp-check'));
  assert.ok(!after.some((c) => c === 'haproxy/syntax' || c === 'haproxy/unknown-keyword'));
});

test('shutdown-sessions fix goes to default-server when there is one, else to every server', () => {
  const withDefault = dedent(`
    listen pg
        bind :5000
        option httpchk OPTIONS /primary
        default-server inter 3s
        server pg1 10.0.0.1:5432 check port 8008
        server pg2 10.0.0.2:5432 check port 8008
  `);
  const fixed = applyFix(withDefault, 'haproxy/shutdown-sessions');
  assert.match(fixed, /default-server inter 3s on-marked-down shutdown-sessions\n/);
  assert.ok(!codes(fixed).includes('haproxy/shutdown-sessions'));

  const without = withDefault.replace('    default-server inter 3s\n', '');
  const fixed2 = applyFix(without, 'haproxy/shutdown-sessions');
  assert.equal(fixed2.match(/on-marked-down shutdown-sessions/g)?.length, 2);
  assert.ok(!codes(fixed2).includes('haproxy/shutdown-sessions'));
});

test('time-suffix fix removes the characters after the unit', () => {
  const fixed = applyFix('defaults\n  timeout connect 5sec\n', 'haproxy/time-suffix');
  assert.equal(fixed, 'defaults\n  timeout connect 5s\n');
  assert.ok(!codes(fixed).includes('haproxy/time-suffix'));
});
