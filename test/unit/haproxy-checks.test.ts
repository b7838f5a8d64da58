import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dedent, diagnose, expectDiag, expectNoDiag } from '../helpers/engine';

const F = 'haproxy.cfg';
const v = (version: string) => ({ haproxy: { version } });

test('haproxy/syntax: unterminated quote, keyword outside sections, nameless proxy, bad prefix, missing LF, address on proxy line', () => {
  expectDiag(F, 'global\n  description "abc\n', 'haproxy/syntax', 1);
  expectDiag(F, "global\n  description 'abc\n", 'haproxy/syntax', 1);
  expectDiag(F, 'maxconn 10\nglobal\n', 'haproxy/syntax', 0);
  expectDiag(F, 'global\nfrontend\n', 'haproxy/syntax', 1);
  expectDiag(F, 'global\nlisten pg\n  no balance roundrobin\n', 'haproxy/syntax', 2);
  expectDiag(F, 'global\nlisten pg\n  no option httpchk\n', 'haproxy/syntax', 2);
  expectDiag(F, 'global\n  daemon', 'haproxy/syntax', 1);
  expectDiag(F, 'listen pg 0.0.0.0:5000\n  mode tcp\n', 'haproxy/syntax', 0);
  expectNoDiag(F, 'global\n  description "a b" # c\nlisten pg\n  no option redispatch\n  bind :5000\n', 'haproxy/syntax');
  expectNoDiag(F, 'defaults base\nlisten pg from base\n  bind :5000\n', 'haproxy/syntax');
});

test('haproxy/unknown-keyword: typos in any section, with a suggestion', () => {
  const d = expectDiag(F, 'backend db\n  balence roundrobin\n', 'haproxy/unknown-keyword', 1);
  assert.match(d.message, /did you mean "balance"/);
  expectDiag(F, 'backend db\n  option httpchck\n', 'haproxy/unknown-keyword', 1);
  expectDiag(F, 'defaults\n  timeout conect 5s\n', 'haproxy/unknown-keyword', 1);
  expectDiag(F, 'global\n  maxconnn 10\n', 'haproxy/unknown-keyword', 1);
  const misplaced = expectDiag(F, 'global\n  balance roundrobin\n', 'haproxy/unknown-keyword', 1);
  assert.match(misplaced.message, /belongs in: defaults, listen, backend/);
  const global = expectDiag(F, 'backend db\n  nbthread 4\n', 'haproxy/unknown-keyword', 1);
  assert.match(global.message, /belongs in: global/);
  expectNoDiag(F, 'global\n  maxconn 10\n  stats socket /run/haproxy.sock mode 600\nbackend db\n  balance roundrobin\n  option httpchk\n  timeout connect 5s\n', 'haproxy/unknown-keyword');
});

test('haproxy/unknown-option: misspelt server and bind options', () => {
  expectDiag(F, 'backend db\n  server pg1 10.0.0.1:5432 chek\n', 'haproxy/unknown-option', 1);
  expectDiag(F, 'frontend fe\n  bind :5000 foo\n', 'haproxy/unknown-option', 1);
  expectDiag(F, 'backend db\n  default-server inter 3s fal 3\n', 'haproxy/unknown-option', 1);
  expectNoDiag(F, 'frontend fe\n  bind :5000 v4v6 maxconn 100\nbackend db\n  default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions\n  server pg1 10.0.0.1:5432 maxconn 100 check port 8008 backup\n', 'haproxy/unknown-option');
});

test('haproxy/keyword-version: newer keywords, removed directives, newer sections', () => {
  expectDiag(F, 'global\n  tune.lua.bool-sample-conversion normal\n', 'haproxy/keyword-version', 1);
  expectNoDiag(F, 'global\n  tune.lua.bool-sample-conversion normal\n', 'haproxy/keyword-version', v('3.2'));
  const d = expectDiag(F, 'defaults\n  contimeout 5000\n', 'haproxy/keyword-version', 1);
  assert.ok(d.message.includes('timeout connect'), d.message);
  expectDiag(F, 'defaults\n  redispatch\n', 'haproxy/keyword-version', 1);
  expectDiag(F, 'global\n  nbproc 2\n', 'haproxy/keyword-version', 1);
  expectDiag(F, 'crt-store\n  load crt site.pem\n', 'haproxy/keyword-version', 0);
  expectNoDiag(F, 'crt-store\n  load crt site.pem\n', 'haproxy/keyword-version', v('3.0'));
  expectNoDiag(F, 'backend db\n  bind-process 1\n', 'haproxy/keyword-version');
  expectDiag(F, 'backend db\n  bind-process 1\n', 'haproxy/keyword-version', 1, v('2.8'));
  // The oldest catalog version is a baseline: older settings do not flag every keyword.
  expectNoDiag(F, 'global\n  maxconn 10\nbackend db\n  balance roundrobin\n', 'haproxy/keyword-version', v('2.4'));
  expectNoDiag(F, 'global\n  grace 10s\ndefaults\n  timeout connect 5s\n  option redispatch\n', 'haproxy/keyword-version');
});

test('haproxy/keyword-not-allowed and haproxy/keyword-ignored: wrong proxy sections', () => {
  expectDiag(F, 'frontend fe\n  bind :5000\n  server pg1 10.0.0.1:5432\n', 'haproxy/keyword-not-allowed', 2);
  expectDiag(F, 'defaults\n  use_backend be if TRUE\n', 'haproxy/keyword-not-allowed', 1);
  expectNoDiag(F, 'listen pg\n  bind :5000\n  server pg1 10.0.0.1:5432\n', 'haproxy/keyword-not-allowed');
  expectDiag(F, 'frontend fe\n  bind :5000\n  balance leastconn\n', 'haproxy/keyword-ignored', 2);
  expectDiag(F, 'backend be\n  bind :5000\n', 'haproxy/keyword-ignored', 1);
  expectNoDiag(F, 'frontend fe\n  bind :5000\n  timeout client 30s\nbackend be\n  balance leastconn\n  timeout connect 5s\n', 'haproxy/keyword-ignored');
});

test('haproxy/arg-count: missing and extra arguments where HAProxy enforces them', () => {
  expectDiag(F, 'defaults\n  timeout connect\n', 'haproxy/arg-count', 1);
  expectDiag(F, 'defaults\n  retries 3 4\n', 'haproxy/arg-count', 1);
  expectDiag(F, 'frontend fe\n  default_backend\n', 'haproxy/arg-count', 1);
  expectNoDiag(F, 'defaults\n  timeout connect 5s\n  retries 3\nfrontend fe\n  default_backend be\n  description a b c\nbackend be\n', 'haproxy/arg-count');
});

test('haproxy/value-format: times, sizes, integers, enums and server option values', () => {
  expectDiag(F, 'defaults\n  timeout connect 5x\n', 'haproxy/value-format', 1);
  expectDiag(F, 'backend be\n  server a 10.0.0.1:1 check inter 0\n', 'haproxy/value-format', 1);
  expectDiag(F, 'backend be\n  server a 10.0.0.1:1 check rise 0\n', 'haproxy/value-format', 1);
  // HAProxy only warns about characters after a valid unit.
  expectNoDiag(F, 'defaults\n  timeout connect 5sec\n', 'haproxy/value-format');
  // HAProxy 2.6 reads "retries three" as 0 without complaint, but checks rate-limit values.
  expectDiag(F, 'frontend fe\n  rate-limit sessions three\n', 'haproxy/value-format', 1);
  expectDiag(F, 'defaults\n  mode tcpx\n', 'haproxy/value-format', 1);
  expectDiag(F, 'backend be\n  balance fastest\n', 'haproxy/value-format', 1);
  expectDiag(F, 'backend be\n  server a 10.0.0.1:1 check inter 2x\n', 'haproxy/value-format', 1);
  expectDiag(F, 'backend be\n  server a 10.0.0.1:1 check fall x\n', 'haproxy/value-format', 1);
  expectDiag(F, 'backend be\n  default-server on-marked-down shutdown\n', 'haproxy/value-format', 1);
  expectDiag(F, 'mailers m\n  timeout mail 5x\n', 'haproxy/value-format', 1);
  expectDiag(F, 'ring r\n  timeout connect 5x\n', 'haproxy/value-format', 1);
  expectNoDiag(F, 'defaults\n  timeout connect 5000\n  timeout client 30m\n  timeout check 500ms\n  retries 3\n  mode tcp\nbackend be\n  balance hdr(host)\n  server a 10.0.0.1:1 check inter 2s fall 3 rise 2 cookie s1 maxconn 1x weight w\n  timeout server "${T}"\n', 'haproxy/value-format');
});

test('haproxy/duplicate-server: same server name twice in a proxy', () => {
  expectDiag(F, 'backend db\n  server pg1 10.0.0.1:5432\n  server pg1 10.0.0.2:5432\n', 'haproxy/duplicate-server', 2);
  expectNoDiag(F, 'backend db\n  server pg1 10.0.0.1:5432\nbackend db2\n  server pg1 10.0.0.2:5432\n', 'haproxy/duplicate-server');
});

test('haproxy/duplicate-proxy: names HAProxy refuses to share, frontend + backend allowed', () => {
  expectDiag(F, 'listen pg\n  bind :5000\nbackend pg\n', 'haproxy/duplicate-proxy', 2);
  expectDiag(F, 'backend pg\nbackend pg\n', 'haproxy/duplicate-proxy', 1);
  expectDiag(F, 'peers p\npeers p\n', 'haproxy/duplicate-proxy', 1);
  expectNoDiag(F, 'frontend pg\n  bind :5000\n  default_backend pg\nbackend pg\n', 'haproxy/duplicate-proxy');
});

test('haproxy/undefined-backend: unknown names, skipped for sample expressions', () => {
  expectDiag(F, 'frontend fe\n  bind :5000\n  default_backend pg_primray\nbackend pg_primary\n', 'haproxy/undefined-backend', 2);
  expectDiag(F, 'frontend fe\n  bind :5000\n  use_backend nope if TRUE\n', 'haproxy/undefined-backend', 2);
  expectNoDiag(F, 'frontend fe\n  bind :5000\n  use_backend be_%[req.hdr(host)]\n  use_backend pg if TRUE\n  default_backend pg\nlisten pg\n  bind :5001\n', 'haproxy/undefined-backend');
});

const PATRONI = dedent(`
  listen pg_primary
      bind *:5000
      option httpchk OPTIONS /primary
      http-check expect status 200
      default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions
      server pg1 10.0.0.1:5432 check port 8008
      server pg2 10.0.0.2:5432 check port 8008
`);

test('the well-formed Patroni listener raises no HA warning', () => {
  for (const code of ['haproxy/missing-check', 'haproxy/patroni-tcp-check', 'haproxy/shutdown-sessions', 'haproxy/check-role-mismatch', 'haproxy/slow-detection']) {
    expectNoDiag(F, PATRONI, code);
  }
});

test('haproxy/missing-check: a server without check where checks are configured', () => {
  expectDiag(F, 'backend db\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008\n  server pg2 10.0.0.2:5432 port 8008\n', 'haproxy/missing-check', 3);
  expectDiag(F, 'backend db\n  option pgsql-check user postgres\n  server pg1 10.0.0.1:5432\n', 'haproxy/missing-check', 2);
  expectNoDiag(F, 'backend db\n  option httpchk\n  default-server check\n  server pg1 10.0.0.1:5432\n', 'haproxy/missing-check');
  expectNoDiag(F, 'backend web\n  server a 10.0.0.1:80\n', 'haproxy/missing-check');
});

test('haproxy/patroni-tcp-check: TCP check on the Patroni REST port', () => {
  expectDiag(F, 'listen pg\n  bind :5000\n  server pg1 10.0.0.1:5432 check port 8008\n', 'haproxy/patroni-tcp-check', 2);
  expectDiag(F, 'listen patroni\n  bind :5000\n  option tcp-check\n  default-server port 9000\n  server pg1 10.0.0.1:5432 check\n', 'haproxy/patroni-tcp-check', 3);
  expectNoDiag(F, 'listen api\n  bind :8008\n  server pg1 10.0.0.1:8008 check port 8008\n', 'haproxy/patroni-tcp-check');
  expectNoDiag(F, 'listen web\n  bind :80\n  server a 10.0.0.1:80 check port 81\n', 'haproxy/patroni-tcp-check');
});

test('haproxy/shutdown-sessions: primary listeners without on-marked-down shutdown-sessions', () => {
  expectDiag(F, 'listen pg\n  bind :5000\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008\n', 'haproxy/shutdown-sessions', 2);
  expectDiag(F, 'listen redis\n  bind :6379\n  option tcp-check\n  tcp-check send info\\ replication\\r\\n\n  tcp-check expect string role:master\n  server r1 10.0.0.1:6379 check\n', 'haproxy/shutdown-sessions', 4);
  expectNoDiag(F, 'listen pg_replicas\n  bind :5001\n  option httpchk OPTIONS /replica\n  server pg1 10.0.0.1:5432 check port 8008\n', 'haproxy/shutdown-sessions');
  expectNoDiag(F, 'listen pg\n  bind :5000\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008 on-marked-down shutdown-sessions\n', 'haproxy/shutdown-sessions');
});

test('haproxy/check-role-mismatch: check path against the listener name', () => {
  expectDiag(F, 'listen pg_master\n  bind :5000\n  option httpchk OPTIONS /replica\n  server pg1 10.0.0.1:5432 check port 8008\n', 'haproxy/check-role-mismatch', 2);
  expectDiag(F, 'backend pg-ro\n  option httpchk OPTIONS /primary\n  server pg1 10.0.0.1:5432 check port 8008\n', 'haproxy/check-role-mismatch', 1);
  expectDiag(F, 'backend pg_write\n  option httpchk\n  http-check send meth GET uri /read-only\n  server pg1 10.0.0.1:5432 check port 8008\n', 'haproxy/check-role-mismatch', 2);
  expectNoDiag(F, 'backend pg_read_write\n  option httpchk OPTIONS /read-write\nbackend pg_replica\n  option httpchk OPTIONS /replica\nbackend pg\n  option httpchk OPTIONS /replica\n', 'haproxy/check-role-mismatch');
});

test('haproxy/detection-time: information with inter × fall on database proxies only', () => {
  const d = expectDiag(F, PATRONI, 'haproxy/detection-time', 5);
  assert.match(d.message, /9 s/);
  expectNoDiag(F, 'backend web\n  option httpchk GET /\n  server a 10.0.0.1:80 check\n', 'haproxy/detection-time');
});

test('haproxy/slow-detection: more than 30 s, or fall/rise 1 in front of a database', () => {
  expectDiag(F, PATRONI.replace('inter 3s', 'inter 20s'), 'haproxy/slow-detection', 4);
  expectDiag(F, PATRONI.replace('fall 3', 'fall 1'), 'haproxy/slow-detection', 4);
  expectDiag(F, PATRONI.replace('rise 2', 'rise 1'), 'haproxy/slow-detection', 4);
  expectNoDiag(F, PATRONI, 'haproxy/slow-detection');
  expectNoDiag(F, 'backend web\n  option httpchk GET /\n  server a 10.0.0.1:80 check inter 60s fall 1\n', 'haproxy/slow-detection');
});

test('haproxy/time-suffix: characters after the time unit', () => {
  expectDiag(F, 'defaults\n  timeout connect 5sec\n', 'haproxy/time-suffix', 1);
  expectDiag(F, 'backend be\n  server a 10.0.0.1:1 check inter 1000mn\n', 'haproxy/time-suffix', 1);
  expectNoDiag(F, 'defaults\n  timeout connect 5s\n  timeout client 1m\n  timeout server 500ms\nbackend be\n  server a 10.0.0.1:1 check inter 2s\n', 'haproxy/time-suffix');
});

test('time values holding an escaped line break are reported, not a failure of the checks', () => {
  // diagnose() fails on any internal error; "\n" in double quotes is a line feed inside the word.
  expectDiag(F, 'backend be\n  server a 10.0.0.1:1 check inter "\\n"\n', 'haproxy/value-format', 1);
  expectDiag(F, 'defaults\n  timeout connect "5s\\n"\n', 'haproxy/time-suffix', 1);
});

/** Every section type in one file; HAProxy 2.6 `-c` accepts it as it is. */
const ALL_SECTIONS = `global
    maxconn 100
    log 127.0.0.1 local0
    stats socket /tmp/hx-admin.sock mode 600 level admin
    stats timeout 30s

userlist admins
    group ops
    user alice insecure-password secret groups ops

peers mypeers
    peer local1 127.0.0.1:10000

resolvers dns
    nameserver ns1 127.0.0.1:53
    resolve_retries 3
    timeout resolve 1s
    timeout retry 1s
    hold valid 10s
    accepted_payload_size 8192

mailers alerts
    mailer smtp1 127.0.0.1:25
    timeout mail 10s

http-errors site
    errorfile 503 /dev/null

ring buf
    description "log buffer"
    format rfc3164
    maxlen 1200
    size 32764
    timeout connect 5s
    timeout server 10s
    server logsrv 127.0.0.1:6514

cache small
    total-max-size 4
    max-age 60

log-forward sylog
    dgram-bind 127.0.0.1:1514
    log global

defaults
    mode http
    log global
    timeout connect 5s
    timeout client 30s
    timeout server 30s

backend web
    stick-table type ip size 1m expire 10m peers mypeers
    http-request cache-use small
    http-response cache-store small
    server w1 127.0.0.1:8080 check resolvers dns init-addr none

frontend fe
    bind 127.0.0.1:8081
    default_backend web
`;

test('a configuration using every section type gets no diagnostic at all', () => {
  const diags = diagnose(F, ALL_SECTIONS);
  assert.deepEqual(diags.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), []);
});
