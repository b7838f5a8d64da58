// Records real Sentinel and Redis answers (redis-cli prints a flat reply one item a line) for the unit
// tests of the pure Sentinel state builder (test/fixtures/live/sentinel/):
// `node --import tsx test/live/lab/capture-sentinel.ts`. The tests read the files as they are now;
// after a new capture, check their expectations (run ids and offsets change).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startRedisLab } from './redis';

const out = resolve(__dirname, '..', '..', 'fixtures', 'live', 'sentinel');

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const lab = await startRedisLab();
  try {
    const [sentinel] = lab.sentinelPorts;
    const [master, replica] = lab.dataPorts;
    const save = async (file: string, port: number, ...args: string[]) => {
      const text = await lab.redisCli(port, ...args);
      if (text.includes(lab.dataPassword) || text.includes(lab.sentinelPassword)) throw new Error(`${file} would hold a password`);
      writeFileSync(join(out, file), `${text}\n`);
    };
    await save('sentinel-master.txt', sentinel, 'SENTINEL', 'MASTER', lab.masterName);
    await save('sentinel-replicas.txt', sentinel, 'SENTINEL', 'REPLICAS', lab.masterName);
    await save('sentinel-sentinels.txt', sentinel, 'SENTINEL', 'SENTINELS', lab.masterName);
    await save('sentinel-ckquorum.txt', sentinel, 'SENTINEL', 'CKQUORUM', lab.masterName);
    await save('info-master.txt', master, 'INFO', 'replication');
    await save('info-replica.txt', replica, 'INFO', 'replication');
  } finally {
    await lab.stop();
  }
}

main().then(
  () => console.log(`written to ${out}`),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
