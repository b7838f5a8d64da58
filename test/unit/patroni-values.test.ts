import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from '../../server/src/core';
import { dedent, diagnose, engine, expectDiag, expectNoDiag } from '../helpers/engine';

const F = 'patroni.yml';
let n = 0;

const at = (d: Diagnostic) => [d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];
const codes = (text: string, code: string) => diagnose(F, text).filter((d) => d.code === code).map(at);

function applyPreferred(text: string, code: string): string {
  const uri = `file:///values/${n++}/${F}`;
  const diag = engine.validate({ uri, text }).find((d) => d.code === code);
  assert.ok(diag, `no ${code} to fix`);
  const action = engine.codeActions({ uri, text }, diag.range).find((a) => a.diagnostic.code === code && a.preferred);
  engine.forget(uri);
  assert.ok(action, `no preferred fix for ${code}`);
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((s, l) => s + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...action.edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start))) out = out.slice(0, offsetOf(e.range.start)) + e.newText + out.slice(offsetOf(e.range.end));
  return out;
}

test('Patroni values as PyYAML reads them: y and n are strings, so no type error', () => {
  const text = dedent(`
    scope: demo
    name: n
    restapi:
      listen: 0.0.0.0:8008
      connect_address: 10.0.0.1:8008
      authentication:
        username: y
        password: y
  `);
  expectNoDiag(F, text, 'patroni/schema');
  expectNoDiag(F, text, 'patroni/syntax');
});

test('Patroni values: on is a boolean, and synchronous_mode: on turns synchronous replication on', () => {
  expectNoDiag(F, 'scope: demo\nbootstrap:\n  dcs:\n    synchronous_mode: on\n    synchronous_node_count: 1\n', 'patroni/synchronous-mode');
  expectNoDiag(F, 'scope: demo\nbootstrap:\n  dcs:\n    synchronous_mode: on\n', 'patroni/schema');
  // Patroni's parse_bool does not know y: synchronous_mode stays off.
  expectDiag(F, 'scope: demo\nbootstrap:\n  dcs:\n    synchronous_mode: "y"\n    synchronous_node_count: 1\n', 'patroni/synchronous-mode', 4);
});

test('Patroni values: 0x1E, 012 and 0b1111 are 30, 10 and 15 for the timing rule; 1:30 is 90', () => {
  const broken = 'scope: demo\nbootstrap:\n  dcs:\n    ttl: 0x1E\n    loop_wait: 012\n    retry_timeout: 0b1111\n';
  assert.deepEqual(codes(broken, 'patroni/timing'), [['patroni/timing', 3, 4, 3, 7]]);
  expectNoDiag(F, 'scope: demo\nbootstrap:\n  dcs:\n    ttl: 1:30\n    loop_wait: 10\n    retry_timeout: 0:30.0\n', 'patroni/timing');
  expectNoDiag(F, 'scope: demo\nbootstrap:\n  dcs:\n    ttl: 1:30\n', 'patroni/schema');
  // 0755 is 493: not below any minimum.
  expectNoDiag(F, 'scope: demo\nbootstrap:\n  dcs:\n    ttl: 0755\n', 'patroni/timing-minimum');
});

test('Patroni values: 1e3 is a string, 1.0e+3 a number', () => {
  assert.deepEqual(codes('scope: demo\nbootstrap:\n  dcs:\n    retry_timeout: 1e3\n', 'patroni/schema'), [['patroni/schema', 3, 19, 3, 22]]);
  expectNoDiag(F, 'scope: demo\nbootstrap:\n  dcs:\n    ttl: 1.0e+3\n', 'patroni/schema');
  assert.deepEqual(codes('scope: demo\nbootstrap:\n  dcs:\n    maximum_lag_on_failover: 1e6\n', 'patroni/lag-bytes'), [['patroni/lag-bytes', 3, 29, 3, 32]]);
});

test('Patroni values: an unquoted date where a string belongs is an error whose fix quotes it', () => {
  const text = 'scope: 2024-01-01\nrestapi:\n  listen: 0.0.0.0:8008\n';
  assert.deepEqual(codes(text, 'patroni/schema'), [['patroni/schema', 0, 7, 0, 17]]);
  const fixed = applyPreferred(text, 'patroni/schema');
  assert.equal(fixed, 'scope: "2024-01-01"\nrestapi:\n  listen: 0.0.0.0:8008\n');
  assert.deepEqual(codes(fixed, 'patroni/schema'), []);
  // The same for a number or a boolean PyYAML makes of a string setting.
  assert.deepEqual(applyPreferred('scope: demo\nname: 0755\n', 'patroni/schema'), 'scope: demo\nname: "0755"\n');
  assert.deepEqual(applyPreferred('scope: demo\nname: off\n', 'patroni/schema'), 'scope: demo\nname: "off"\n');
});

test('Patroni values: = cannot be read by PyYAML; quoted it is a string', () => {
  assert.deepEqual(codes('scope: demo\nname: =\n', 'patroni/syntax'), [['patroni/syntax', 1, 6, 1, 7]]);
  expectNoDiag(F, 'scope: demo\nname: "="\n', 'patroni/syntax');
});

test('Patroni values: PostgreSQL parameters read as PostgreSQL reads them, use_pg_rewind as Python reads it', () => {
  const params = (v: string) => `scope: demo\nbootstrap:\n  dcs:\n    postgresql:\n      use_pg_rewind: on\n      parameters:\n        hot_standby: ${v}\n        wal_log_hints: ${v}\n`;
  for (const off of ['off', 'n', 'no', '"0"', 'false']) {
    expectDiag(F, params(off), 'patroni/replication-parameters', 6);
    expectDiag(F, params(off), 'patroni/pg-rewind', 7);
  }
  for (const on of ['on', 'y', '"yes"', '1']) expectNoDiag(F, params(on), 'patroni/replication-parameters');
  // A non-empty string is true to Python: use_pg_rewind: "false" still turns pg_rewind on.
  expectDiag(F, params('off').replace('use_pg_rewind: on', 'use_pg_rewind: "false"'), 'patroni/pg-rewind', 7);
  expectNoDiag(F, params('off').replace('use_pg_rewind: on', 'use_pg_rewind: off'), 'patroni/pg-rewind');
});
