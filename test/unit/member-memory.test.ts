// Members remembered between runs: kept per scope, only names and addresses, used only for the very cluster they came from.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { defaultStateDir, fileMemory } from '../../live/src/member-memory';
import { patroniProvider } from '../../live/src/providers/patroni';

const made: string[] = [];
/** A scratch folder removed when the file's tests end. */
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hatopo-memory-'));
  made.push(dir);
  return dir;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

test('the state folder: HATOPO_STATE_DIR, else XDG_STATE_HOME/hatopo, else ~/.local/state/hatopo; off keeps nothing', () => {
  assert.equal(defaultStateDir({ HATOPO_STATE_DIR: '/x' }), '/x');
  assert.equal(defaultStateDir({ HATOPO_STATE_DIR: 'off', XDG_STATE_HOME: '/s' }), undefined);
  assert.equal(defaultStateDir({ XDG_STATE_HOME: '/s' }), '/s/hatopo');
  assert.match(defaultStateDir({}) ?? '', /\/\.local\/state\/hatopo$/);
});

test('saved and loaded per scope, private to the user; a damaged or foreign file is as if nothing were remembered', () => {
  const dir = scratch();
  const memory = fileMemory(dir);
  assert.deepEqual(memory.load('billing'), {});
  memory.save('billing', { pg1: { address: '10.0.0.1:5432', base: 'http://10.0.0.1:8008' }, pg2: { address: '10.0.0.2:5432', missingSince: 5 } });
  assert.deepEqual(memory.load('billing'), { pg1: { address: '10.0.0.1:5432', base: 'http://10.0.0.1:8008' }, pg2: { address: '10.0.0.2:5432', missingSince: 5 } });
  assert.deepEqual(memory.load('orders'), {});
  const [file] = readdirSync(join(dir, 'patroni'));
  assert.equal(statSync(join(dir, 'patroni', file)).mode & 0o777, 0o600);
  writeFileSync(join(dir, 'patroni', file), '{"scope":"billing","members":{"pg1":{"address":5},"pg2":{"address":"10.0.0.2:5432"}}}');
  assert.deepEqual(memory.load('billing'), { pg2: { address: '10.0.0.2:5432' } });
  writeFileSync(join(dir, 'patroni', file), '{"scope":"billing","memb');
  assert.deepEqual(memory.load('billing'), {});
  // A folder that cannot be made (a file is in the way) is no failure of the caller's.
  writeFileSync(join(dir, 'in-the-way'), '');
  fileMemory(join(dir, 'in-the-way')).save('billing', { pg1: { address: 'a:1' } });
  assert.deepEqual(fileMemory(join(dir, 'in-the-way')).load('billing'), {});
});

/** A Patroni REST API answering /cluster with the given members (host 127.0.0.1) and /patroni with its scope. */
async function patroniApi(scope: string, members: Array<[string, number]>): Promise<{ url: string; close(): void }> {
  let url = '';
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/cluster') {
      res.end(JSON.stringify({ members: members.map(([name, port], i) => ({ name, role: i === 0 ? 'leader' : 'replica', state: 'running', api_url: `${url}/patroni`, host: '127.0.0.1', port, timeline: 2, lag: 0 })) }));
    } else if (req.url === '/patroni') {
      res.end(JSON.stringify({ state: 'running', role: 'master', timeline: 2, patroni: { version: '3.0.2', scope } }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => server.close() };
}

test('a member an earlier run saw, gone from /cluster, is read again — only when the memory is of this very cluster', async () => {
  const api = await patroniApi('billing', [
    ['pg2', 15434],
    ['pg3', 15435],
  ]);
  try {
    const dir = scratch();
    const memory = fileMemory(dir);
    const earlier = { pg1: { address: '127.0.0.1:15433' }, pg2: { address: '127.0.0.1:15434' }, pg3: { address: '127.0.0.1:15435' } };
    memory.save('billing', earlier);
    const [state] = await patroniProvider({ urls: [api.url], memory }).read({ timeoutMs: 2000 });
    assert.equal(state.name, 'billing');
    assert.deepEqual(state.problems.filter((p) => p.code === 'member-missing').map((p) => p.member), ['pg1']);
    // What this run saw is saved again, the remembered member with it.
    assert.deepEqual(Object.keys(memory.load('billing')).sort(), ['pg1', 'pg2', 'pg3']);
    // Another cluster that happens to share the scope: its members are elsewhere, so nothing is recalled.
    const other = fileMemory(scratch());
    other.save('billing', { pg1: { address: '10.9.9.1:5432' }, pg2: { address: '10.9.9.2:5432' } });
    const [foreign] = await patroniProvider({ urls: [api.url], memory: other }).read({ timeoutMs: 2000 });
    assert.deepEqual(foreign.problems.filter((p) => p.code === 'member-missing'), []);
  } finally {
    api.close();
  }
});
