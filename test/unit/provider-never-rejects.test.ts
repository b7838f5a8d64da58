// A provider's read resolves whatever happens inside it: the failure becomes the endpoint's state, masked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neverRejects } from '../../live/src/provider';

test('an exception inside a read becomes an error state naming the endpoint, without the secret', async () => {
  const now = () => new Date('2026-01-01T00:00:00Z');
  const read = neverRejects('patroni', 'Patroni', 'http://10.0.0.1:8008', () => 'billing', ['s3cret'], async () => {
    throw new Error('unexpected answer for admin:s3cret');
  });
  const [state] = await read({ timeoutMs: 100, now });
  assert.deepEqual(
    { kind: state.kind, name: state.name, source: state.source, health: state.health, members: state.members, error: state.error, observedAt: state.observedAt },
    { kind: 'patroni', name: 'billing', source: 'http://10.0.0.1:8008', health: 'error', members: [], error: 'reading Patroni failed: unexpected answer for admin:***', observedAt: '2026-01-01T00:00:00.000Z' },
  );
  const fine = neverRejects('postgres', 'PostgreSQL', 'db1:5432', () => 'x', [], async () => []);
  assert.deepEqual(await fine({ timeoutMs: 100 }), []);
});
