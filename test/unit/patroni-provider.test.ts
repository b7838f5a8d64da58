// The Patroni provider refreshed every few seconds asks for the history only when the timeline
// moved (and until it holds the timeline that ended), and for the dynamic configuration seldom.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { patroniProvider } from '../../live/src/providers/patroni';

test('history when the timeline moves, configuration once: fewer requests per refresh', async () => {
  const hits = new Map<string, number>();
  let timeline = 1;
  let history: unknown[] = [];
  let url = '';
  const server = createServer((req, res) => {
    hits.set(req.url ?? '', (hits.get(req.url ?? '') ?? 0) + 1);
    res.setHeader('content-type', 'application/json');
    const body: Record<string, unknown> = {
      '/cluster': { members: [{ name: 'pg1', role: 'leader', state: 'running', api_url: `${url}/patroni`, host: '127.0.0.1', port: 5433, timeline }] },
      '/patroni': { state: 'running', role: 'master', timeline, patroni: { version: '3.0.2', scope: 'billing' } },
      '/history': history,
      '/config': { ttl: 30, loop_wait: 10 },
    };
    res.end(JSON.stringify(body[req.url ?? ''] ?? {}));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const provider = patroniProvider({ urls: [url] });
    for (let i = 0; i < 3; i++) assert.equal((await provider.read({ timeoutMs: 2000 }))[0].leader, 'pg1');
    assert.deepEqual([hits.get('/cluster'), hits.get('/history'), hits.get('/config')], [3, 1, 1]);
    // A switchover: timeline 2, but Patroni has not written the history yet — asked again until it has.
    timeline = 2;
    await provider.read({ timeoutMs: 2000 });
    await provider.read({ timeoutMs: 2000 });
    assert.equal(hits.get('/history'), 3);
    history = [[1, 50331800, 'no recovery target specified', '2026-12-03T08:00:00+00:00', 'pg1']];
    const [s] = await provider.read({ timeoutMs: 2000 });
    assert.deepEqual((s.details?.history as Array<{ timeline: number }>).map((h) => h.timeline), [1]);
    await provider.read({ timeoutMs: 2000 });
    assert.equal(hits.get('/history'), 4);
    assert.equal(hits.get('/config'), 1);
  } finally {
    server.close();
  }
});
