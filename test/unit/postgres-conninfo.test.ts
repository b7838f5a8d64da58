// Connection strings, the PG* environment and the password file, read as libpq reads them.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConninfo, resolveTargets, targetAddress } from '../../live/src/providers/postgres-conninfo';
import { lookupPgpass, parsePgpass, readPgpass } from '../../live/src/providers/pgpass';
import { sslOptions } from '../../live/src/providers/postgres-session';

const NO_ENV = { HOME: '/home/ops' };

test('URIs: userinfo and percent-encoding, several hosts, IPv6, database, query parameters', () => {
  assert.deepEqual(parseConninfo('postgresql://mon:p%40ss%3Aw@db1:5433,db2,[::1]:5435/app?sslmode=verify-full&application_name=x%20y'), {
    user: 'mon',
    password: 'p@ss:w',
    host: 'db1,db2,::1',
    port: '5433,,5435',
    dbname: 'app',
    sslmode: 'verify-full',
    application_name: 'x y',
  });
  assert.deepEqual(parseConninfo('postgres://db1'), { host: 'db1' });
  assert.deepEqual(parseConninfo('postgresql://'), {});
  assert.deepEqual(parseConninfo('postgresql:///app?host=/var/run/postgresql'), { dbname: 'app', host: '/var/run/postgresql' });
  assert.deepEqual(parseConninfo('postgresql://u@h/d?ssl=true'), { user: 'u', host: 'h', dbname: 'd', sslmode: 'require' });
});

test('key=value: spaces around =, quoted values with escapes, unquoted backslashes', () => {
  assert.deepEqual(parseConninfo(`host=db1 port = 5433 user=mon password='it\\'s a \\\\ pass' dbname=app`), { host: 'db1', port: '5433', user: 'mon', password: "it's a \\ pass", dbname: 'app' });
  assert.deepEqual(parseConninfo('password=a\\ b host=h'), { password: 'a b', host: 'h' });
  assert.deepEqual(parseConninfo("password=''"), { password: '' });
  assert.deepEqual(parseConninfo('  '), {});
});

test('malformed strings are refused in libpq’s words', () => {
  assert.throws(() => parseConninfo('host=db1 colour=blue'), /invalid connection option "colour"/);
  assert.throws(() => parseConninfo('postgresql://h/d?colour=blue'), /invalid connection option "colour"/);
  assert.throws(() => parseConninfo('service=prod'), /service files .* not supported/);
  assert.throws(() => parseConninfo("password='open"), /unterminated quoted string/);
  assert.throws(() => parseConninfo('host db1'), /missing "=" after "host"/);
  assert.throws(() => parseConninfo('postgresql://h/d?x'), /missing "="/);
  assert.throws(() => resolveTargets('host=a,b,c port=1,2', NO_ENV), /could not match 2 port numbers to 3 hosts/);
  assert.throws(() => resolveTargets('port=99999', NO_ENV), /invalid port number: "99999"/);
  assert.throws(() => resolveTargets('sslmode=maybe', NO_ENV), /invalid sslmode value: "maybe"/);
});

test('targets: one per host, ports paired, defaults, and the string before the environment', () => {
  const env = { ...NO_ENV, PGHOST: 'envhost', PGPORT: '6000', PGUSER: 'envuser', PGDATABASE: 'envdb', PGPASSWORD: 'envpw', PGSSLMODE: 'require', PGAPPNAME: 'ops', PGCONNECT_TIMEOUT: '1' };
  const [a, b] = resolveTargets('postgresql://mon@db1:5433,db2/app', env);
  assert.deepEqual([a.host, a.port, a.user, a.database, a.sslmode, a.applicationName, a.connectTimeoutMs], ['db1', 5433, 'mon', 'app', 'require', 'ops', 2000]);
  // An empty port in a list is the compiled-in default, not PGPORT (PGPORT fills only a missing list).
  assert.deepEqual([b.host, b.port], ['db2', 5432]);
  assert.equal(a.password, 'envpw');
  const [e] = resolveTargets('', env);
  assert.deepEqual([e.host, e.port, e.user, e.database], ['envhost', 6000, 'envuser', 'envdb']);
  const [d] = resolveTargets('host=db9', { HOME: '/home/ops', PGPASSFILE: '' });
  assert.deepEqual([d.port, d.database === d.user, d.sslmode, d.passfile, d.applicationName], [5432, true, 'prefer', '/home/ops/.pgpass', 'hatopo']);
  const [f] = resolveTargets('host=a,b port=1,2 passfile=/etc/pw', NO_ENV).slice(1);
  assert.deepEqual([f.host, f.port, f.passfile], ['b', 2, '/etc/pw']);
  assert.equal(targetAddress({ host: '::1', port: 5 }), '[::1]:5');
});

test('a target never prints its password', () => {
  const [t] = resolveTargets('host=h password=s3cret', NO_ENV);
  assert.equal(t.password, 's3cret');
  assert.ok(!JSON.stringify(t).includes('s3cret'));
  assert.ok(!Object.keys(t).includes('password'));
});

test('the password file: escapes, comments, wildcards, first match wins, localhost for sockets', () => {
  const entries = parsePgpass(['# comment', '', 'db1:5432:app:mon:first', 'db1:*:*:mon:second', '*:*:*:*:a\\:b\\\\c', 'short:line', 'h:1:d:u:with:colons'].join('\n'));
  assert.equal(entries.length, 4);
  assert.equal(lookupPgpass(entries, { host: 'db1', port: 5432, database: 'app', user: 'mon' }), 'first');
  assert.equal(lookupPgpass(entries, { host: 'db1', port: 6000, database: 'x', user: 'mon' }), 'second');
  assert.equal(lookupPgpass(entries, { host: 'other', port: 1, database: 'x', user: 'y' }), 'a:b\\c');
  assert.equal(lookupPgpass(parsePgpass('h:1:d:u:with:colons'), { host: 'h', port: 1, database: 'd', user: 'u' }), 'with:colons');
  assert.equal(lookupPgpass(parsePgpass('localhost:5432:*:u:sock'), { host: '/var/run/postgresql', port: 5432, database: 'd', user: 'u' }), 'sock');
  assert.equal(lookupPgpass(parsePgpass('db1:5432:*:u:pw'), { host: 'db2', port: 5432, database: 'd', user: 'u' }), undefined);
});

test('the password file is ignored when others may read it, and a missing one is no error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-pgpass-'));
  try {
    const file = join(dir, 'pgpass');
    writeFileSync(file, '*:*:*:u:pw\n', { mode: 0o600 });
    const q = { host: 'h', port: 1, database: 'd', user: 'u' };
    assert.deepEqual(await readPgpass(file, q), { password: 'pw' });
    chmodSync(file, 0o640);
    assert.match((await readPgpass(file, q)).ignored ?? '', /group or world access/);
    assert.deepEqual(await readPgpass(join(dir, 'none'), q), {});
    assert.match((await readPgpass(dir, q)).ignored ?? '', /not a plain file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sslmode as pg takes it: plain for disable/allow/prefer, unverified for require, a CA for verify-*', () => {
  const t = { host: 'db1', sslrootcert: undefined, sslcert: undefined, sslkey: undefined };
  for (const m of ['disable', 'allow', 'prefer'] as const) assert.equal(sslOptions({ ...t, sslmode: m }), false);
  assert.deepEqual(sslOptions({ ...t, sslmode: 'require' }), { cert: undefined, key: undefined, rejectUnauthorized: false });
  const full = sslOptions({ ...t, sslmode: 'verify-full' });
  assert.ok(full && full.rejectUnauthorized === true && full.servername === 'db1');
  const ca = sslOptions({ ...t, sslmode: 'verify-ca' });
  assert.ok(ca && ca.rejectUnauthorized === true && ca.checkServerIdentity?.('x', {} as never) === undefined);
  assert.throws(() => sslOptions({ ...t, sslmode: 'verify-full', sslrootcert: '/nonexistent/ca.pem' }), /could not read root certificate file "\/nonexistent\/ca.pem"/);
});
