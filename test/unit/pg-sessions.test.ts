// Connections kept between reads: given back on every read, listened to once, dropped when the server ends them.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type pg from 'pg';
import { PgSessions } from '../../live/src/providers/postgres-session';

/** A stand-in for pg.Client with what PgSessions touches: events, end(), and the socket it refs and unrefs. */
function client(): EventEmitter & { ended: number; refs: number; refsAtEnd: number[]; end(): Promise<void>; connection: { stream: { ref(): void; unref(): void } } } {
  const c = Object.assign(new EventEmitter(), {
    ended: 0,
    refs: 1,
    refsAtEnd: [] as number[],
    end: async () => {
      c.ended++;
      c.refsAtEnd.push(c.refs);
    },
    connection: {
      stream: {
        ref: () => {
          c.refs = 1;
        },
        unref: () => {
          c.refs = 0;
        },
      },
    },
  });
  return c;
}

test('a connection given back on every read is listened to once; idle, it does not hold the process', () => {
  const sessions = new PgSessions();
  const c = client();
  for (let i = 0; i < 50; i++) {
    sessions.give('k', c as unknown as pg.Client);
    assert.equal(c.refs, 0, 'idle: unref');
    assert.equal(sessions.take('k'), c as unknown as pg.Client);
    assert.equal(c.refs, 1, 'in use: ref');
  }
  sessions.give('k', c as unknown as pg.Client);
  assert.equal(c.listenerCount('end'), 1);
  assert.equal(c.listenerCount('error'), 1);
  assert.equal(sessions.size, 1);
});

test('a connection the server ends is dropped; another given for the same key replaces and ends the old one; close ends all', async () => {
  const sessions = new PgSessions();
  const a = client();
  sessions.give('k', a as unknown as pg.Client);
  a.emit('end');
  assert.equal(sessions.size, 0);
  assert.equal(sessions.take('k'), undefined);
  const b = client();
  const c = client();
  sessions.give('k', b as unknown as pg.Client);
  sessions.give('k', c as unknown as pg.Client);
  assert.equal(b.ended, 1);
  assert.equal(sessions.take('k'), c as unknown as pg.Client);
  sessions.give('k', c as unknown as pg.Client);
  sessions.give('j', b as unknown as pg.Client);
  await sessions.close();
  assert.equal(c.ended, 1);
  // Held while it closes: whoever awaits close() keeps a live event loop.
  assert.deepEqual(c.refsAtEnd, [1]);
  assert.equal(sessions.size, 0);
});
