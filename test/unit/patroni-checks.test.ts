import { test } from 'node:test';
import { dedent, expectDiag, expectNoDiag } from '../helpers/engine';

const F = 'patroni.yml';

test('patroni/syntax: a YAML error is reported on its line', () => {
  expectDiag(F, dedent(`
    scope: demo
    restapi:
      listen: 0.0.0.0:8008
     connect_address: 10.0.0.1:8008
  `), 'patroni/syntax', 3);
  expectNoDiag(F, 'scope: demo\nrestapi:\n  listen: 0.0.0.0:8008\n', 'patroni/syntax');
});

test('patroni/duplicate-key', () => {
  expectDiag(F, 'scope: a\npostgresql:\n  data_dir: /d\npostgresql:\n  listen: :5432\n', 'patroni/duplicate-key', 3);
  expectNoDiag(F, 'scope: a\npostgresql:\n  data_dir: /d\n', 'patroni/duplicate-key');
});

test('patroni/schema: wrong types and enum values, strings of digits accepted', () => {
  expectDiag(F, 'bootstrap:\n  dcs:\n    ttl: thirty\n', 'patroni/schema', 2);
  expectDiag(F, 'log:\n  level: LOUD\n', 'patroni/schema', 1);
  expectDiag(F, 'restapi:\n  verify_client: maybe\n', 'patroni/schema', 1);
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    ttl: "30"\n    synchronous_mode: quorum\nwatchdog:\n  mode: off\ntags:\n  nofailover: "false"\n  custom: 1.4\n', 'patroni/schema');
});

test('patroni/unknown-key: misspelt keys; replica method sections are allowed', () => {
  const d = expectDiag(F, 'bootstrap:\n  dcs:\n    loop_wiat: 10\n', 'patroni/unknown-key', 2);
  if (!/loop_wait/.test(d.message)) throw new Error(`no suggestion in: ${d.message}`);
  expectDiag(F, 'scope: x\nttll: 3\n', 'patroni/unknown-key', 1);
  expectNoDiag(F, 'postgresql:\n  create_replica_methods: [wal_g, basebackup]\n  wal_g:\n    command: wal-g backup-fetch\n', 'patroni/unknown-key');
  expectNoDiag(F, 'bootstrap:\n  method: restore\n  restore:\n    command: /bin/restore\n', 'patroni/unknown-key');
});

test('patroni/timing: loop_wait + 2*retry_timeout > ttl', () => {
  expectDiag(F, 'bootstrap:\n  dcs:\n    ttl: 30\n    loop_wait: 10\n    retry_timeout: 15\n', 'patroni/timing', 2);
  expectDiag(F, 'bootstrap:\n  dcs:\n    retry_timeout: 11\n', 'patroni/timing', 2);
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    ttl: 30\n    loop_wait: 10\n    retry_timeout: 10\n', 'patroni/timing');
});

test('patroni/timing-minimum', () => {
  expectDiag(F, 'bootstrap:\n  dcs:\n    ttl: 10\n', 'patroni/timing-minimum', 2);
  expectDiag(F, 'bootstrap:\n  dcs:\n    ttl: 40\n    loop_wait: 0\n    retry_timeout: "2"\n', 'patroni/timing-minimum', 4);
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    ttl: 20\n    loop_wait: 1\n    retry_timeout: 3\n', 'patroni/timing-minimum');
});

test('patroni/dcs-missing and patroni/dcs-multiple', () => {
  expectDiag(F, 'scope: demo\nname: pg1\n', 'patroni/dcs-missing', 0);
  expectNoDiag(F, 'scope: demo\netcd3:\n  hosts: [a:2379]\n', 'patroni/dcs-missing');
  expectDiag(F, 'scope: demo\nzookeeper:\n  hosts: [a:2181]\netcd3:\n  hosts: a:2379\n', 'patroni/dcs-multiple', 1);
  expectNoDiag(F, 'scope: demo\netcd3:\n  hosts: a:2379\n', 'patroni/dcs-multiple');
});

test('patroni/authentication', () => {
  expectDiag(F, 'postgresql:\n  data_dir: /d\n  authentication:\n    superuser:\n      username: postgres\n', 'patroni/authentication', 2);
  expectDiag(F, 'scope: x\npostgresql:\n  data_dir: /d\n', 'patroni/authentication', 1);
  expectNoDiag(F, 'postgresql:\n  authentication:\n    superuser: {username: postgres}\n    replication: {username: rep}\n', 'patroni/authentication');
});

test('patroni/connect-address-wildcard and -loopback', () => {
  expectDiag(F, 'restapi:\n  listen: 0.0.0.0:8008\n  connect_address: 0.0.0.0:8008\n', 'patroni/connect-address-wildcard', 2);
  expectDiag(F, 'postgresql:\n  connect_address: "[::]:5432"\n', 'patroni/connect-address-wildcard', 1);
  expectDiag(F, 'postgresql:\n  connect_address: localhost:5432\n', 'patroni/connect-address-loopback', 1);
  expectDiag(F, 'raft:\n  self_addr: 127.0.0.2:2222\n', 'patroni/connect-address-loopback', 1);
  expectNoDiag(F, 'restapi:\n  listen: 0.0.0.0:8008\n  connect_address: 10.0.0.1:8008\n', 'patroni/connect-address-wildcard');
  expectNoDiag(F, 'restapi:\n  listen: 127.0.0.1:8008\n  connect_address: pg1.example:8008\n', 'patroni/connect-address-loopback');
});

test('patroni/pg-rewind', () => {
  const bad = 'bootstrap:\n  dcs:\n    postgresql:\n      use_pg_rewind: true\n      parameters:\n        wal_log_hints: off\n';
  expectDiag(F, bad, 'patroni/pg-rewind', 5);
  expectNoDiag(F, bad + '  initdb:\n  - data-checksums\n', 'patroni/pg-rewind');
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    postgresql:\n      use_pg_rewind: true\n', 'patroni/pg-rewind');
});

test('patroni/replication-parameters', () => {
  const p = (body: string) => `bootstrap:\n  dcs:\n    postgresql:\n      parameters:\n${body}`;
  expectDiag(F, p('        wal_level: minimal\n'), 'patroni/replication-parameters', 4);
  expectDiag(F, p('        hot_standby: "off"\n'), 'patroni/replication-parameters', 4);
  expectDiag(F, p('        max_wal_senders: 0\n'), 'patroni/replication-parameters', 4);
  expectDiag(F, p('        max_replication_slots: 2\n'), 'patroni/replication-parameters', 4);
  expectNoDiag(F, p('        wal_level: hot_standby\n        hot_standby: "on"\n        max_wal_senders: 10\n        max_replication_slots: 10\n'), 'patroni/replication-parameters');
});

test('patroni/managed-parameter', () => {
  expectDiag(F, 'scope: demo\npostgresql:\n  parameters:\n    port: 5433\n', 'patroni/managed-parameter', 3);
  expectNoDiag(F, 'scope: demo\npostgresql:\n  parameters:\n    work_mem: 4MB\n', 'patroni/managed-parameter');
});

test('patroni/local-parameter', () => {
  expectDiag(F, 'scope: demo\npostgresql:\n  parameters:\n    max_connections: 500\n', 'patroni/local-parameter', 3);
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    postgresql:\n      parameters:\n        max_connections: 500\n', 'patroni/local-parameter');
});

test('patroni/synchronous-mode', () => {
  expectDiag(F, 'bootstrap:\n  dcs:\n    synchronous_node_count: 2\n', 'patroni/synchronous-mode', 2);
  expectDiag(F, 'bootstrap:\n  dcs:\n    synchronous_mode: false\n    synchronous_mode_strict: true\n', 'patroni/synchronous-mode', 3);
  expectDiag(F, 'bootstrap:\n  dcs:\n    synchronous_mode: true\n    postgresql:\n      parameters:\n        synchronous_standby_names: "*"\n', 'patroni/synchronous-mode', 5);
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    synchronous_mode: true\n    synchronous_mode_strict: true\n    synchronous_node_count: 2\n', 'patroni/synchronous-mode');
});

test('patroni/lag-bytes', () => {
  expectDiag(F, 'bootstrap:\n  dcs:\n    maximum_lag_on_failover: 16MB\n', 'patroni/lag-bytes', 2);
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    maximum_lag_on_failover: 1048576\n', 'patroni/lag-bytes');
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    maximum_lag_on_failover: "1048576"\n', 'patroni/lag-bytes');
  expectNoDiag(F, 'bootstrap:\n  dcs:\n    maximum_lag_on_failover: 16MB\n', 'patroni/schema');
});

test('a file that does not parse gets its syntax error, not "missing" sections the error may hide', () => {
  const text = 'scope: demo\nrestapi:\n  listen: 0.0.0.0:8008\n   connect_address: 10.0.0.1:8008\netcd3:\n  hosts: 10.0.0.2:2379\npostgresql:\n  data_dir: /d\n';
  expectDiag('patroni.yml', text, 'patroni/syntax', 2);
  expectNoDiag('patroni.yml', text, 'patroni/dcs-missing');
  expectNoDiag('patroni.yml', text, 'patroni/authentication');
});
