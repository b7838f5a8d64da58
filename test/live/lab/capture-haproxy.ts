// Records real HAProxy answers for the unit tests of the pure parsers (test/fixtures/live/haproxy/):
// `node --import tsx test/live/lab/capture-haproxy.ts`. Servers in every state the lab can reach:
// starting (INI), UP, DOWN with a reason phrase holding a comma, DRAIN and MAINT set through the
// admin socket, a server without check, and a stats-only proxy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startHaproxyLab, startHealthTarget, socketCommand } from './haproxy';
import type { HealthTarget } from './haproxy';
import { waitFor } from './processes';

const out = resolve(__dirname, '..', '..', 'fixtures', 'live', 'haproxy');

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const targets: HealthTarget[] = [];
  const lab = await startHaproxyLab({
    statsPort: 18480,
    socketPort: 18481,
    listeners: [
      { name: 'pg_write', port: 18410, servers: [1, 2, 3].map((i) => ({ name: `pg${i}`, host: '127.0.0.1', port: 18430 + i, checkPort: 18420 + i, check: 'httpchk GET /primary' as const })) },
      { name: 'pg_read', port: 18411, servers: [1, 2].map((i) => ({ name: `r${i}`, host: '127.0.0.1', port: 18420 + i, check: 'tcp' as const })) },
      { name: 'nocheck', port: 18412, servers: [{ name: 'n1', host: '127.0.0.1', port: 18499 }] },
    ],
  });
  try {
    // Started before the health targets listen: every checked server is still initialising.
    writeFileSync(join(out, 'show-stat-starting.csv'), await lab.socket('show stat'));
    targets.push(await startHealthTarget(18421, 200), await startHealthTarget(18422, 503), await startHealthTarget(18423, 503));
    // A reason phrase with a comma: HAProxy quotes that field in its CSV.
    targets[1].reason = 'Busy, try later';
    const settled = [/^pg_write,pg1,(?:[^,]*,){15}UP,/m, /^pg_write,pg2,(?:[^,]*,){15}DOWN,.*,L7STS,/m, /^pg_write,pg3,(?:[^,]*,){15}DOWN,.*,L7STS,/m, /^pg_read,r1,(?:[^,]*,){15}UP,/m, /^pg_read,r2,(?:[^,]*,){15}UP,/m];
    await waitFor('the checks to settle', async () => {
      const s = await lab.socket('show stat');
      return settled.every((r) => r.test(s));
    }, 15_000, 200);
    await lab.socket('set server pg_read/r2 state maint');
    await lab.socket('set server pg_write/pg1 state drain');
    writeFileSync(join(out, 'show-stat.csv'), await lab.socket('show stat'));
    writeFileSync(join(out, 'show-servers-state.txt'), await lab.socket('show servers state'));
    writeFileSync(join(out, 'show-info.txt'), await socketCommand(lab.adminSocket, 'show info'));
    const auth = `Basic ${Buffer.from(`${lab.statsUser}:${lab.statsPassword}`).toString('base64')}`;
    const res = await fetch(`${lab.statsUrl};csv`, { headers: { authorization: auth } });
    writeFileSync(join(out, 'http-stat.csv'), await res.text());
    writeFileSync(join(out, 'unknown-command.txt'), await lab.socket('show nothing'));
  } finally {
    await lab.stop();
    for (const t of targets) await t.close();
  }
}

main().then(
  () => console.log(`written to ${out}`),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
