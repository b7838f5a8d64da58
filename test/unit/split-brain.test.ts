// The split-brain check where no PostgreSQL answers (a closed loopback port): members it could not ask
// are said, members gone for good are not invented, and nothing it reports carries the password.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterState } from '../../live/src/model';
import { checkSplitBrain, splitAddress } from '../../live/src/split-brain';
import { validateClusterState } from '../helpers/cluster-state';

// Nothing listens there: the live Patroni and PostgreSQL labs leave these ports of their range free.
const CLOSED = '127.0.0.1:15449';

const state = (): ClusterState => ({
  kind: 'patroni',
  name: 'demo',
  source: 'http://127.0.0.1:18008',
  observedAt: '2026-01-01T00:00:00.000Z',
  leader: 'pg1',
  members: [
    { name: 'pg1', address: CLOSED, role: 'primary', state: 'running', health: 'ok' },
    { name: 'pg2', address: CLOSED, role: 'replica', state: 'stopped', health: 'warning' },
  ],
  health: 'warning',
  problems: [{ code: 'member-missing', severity: 'warning', message: 'pg3 (127.0.0.1:15449) was a member and is no longer in the cluster', member: 'pg3' }],
});

test('host:port addresses, IPv6 in brackets', () => {
  assert.deepEqual(splitAddress('db1:5432'), { host: 'db1', port: 5432 });
  assert.deepEqual(splitAddress('[fd00::1]:5433'), { host: 'fd00::1', port: 5433 });
  assert.equal(splitAddress('db1'), undefined);
});

test('members whose PostgreSQL cannot be asked: a warning for the running ones, nothing invented for the gone', async () => {
  const password = 'pw-never-shown';
  const s = await checkSplitBrain(state(), { credentials: { user: 'postgres', password }, timeoutMs: 2000, remembered: [{ name: 'pg3', address: '127.0.0.1:15447' }], env: { HOME: '/nonexistent' } });
  validateClusterState(s);
  assert.deepEqual(s.members.map((m) => [m.name, m.writable]), [['pg1', undefined], ['pg2', undefined]]);
  assert.deepEqual(s.problems.map((p) => [p.code, p.member]), [['member-missing', 'pg3'], ['split-brain-unchecked', 'pg1']]);
  assert.equal(s.problems[1].message, `could not ask pg1's PostgreSQL whether it accepts writes: connection refused ${CLOSED}`);
  assert.equal(s.health, 'warning');
  assert.ok(!JSON.stringify(s).includes(password));
});
