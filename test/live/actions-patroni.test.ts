// Patroni actions on a real cluster (etcd + 3 × Patroni 3.0.2 / PostgreSQL 15, synchronous_mode on),
// run through runAction as the CLI and the editor run them, and checked against patronictl and psql:
// switchovers to a named member and to any, a scheduled one cancelled, pause and resume, restart,
// reinitialise, a failover of a paused cluster whose leader died, and the refusals — each refusal
// leaving the cluster as it was (same leader, same timeline).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import type { AuditRecord } from '../../live/src/actions/model';
import type { PatroniAction, PatroniActionOptions } from '../../live/src/actions/patroni';
import { patroniActionSpec } from '../../live/src/actions/patroni';
import type { RunOptions } from '../../live/src/actions/run';
import { runAction } from '../../live/src/actions/run';
import { postmasterPid, waitFor } from './lab/processes';
import type { PatroniLab } from './lab/patroni';
import { patroniLabMissing, startPatroniLab, waitForStreaming } from './lab/patroni';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
const PORTS = { etcdClientPort: 12579, etcdPeerPort: 12580, firstPgPort: 15933, firstRestPort: 19108 };

interface Listed {
  Member: string;
  Role: string;
  State: string;
  TL?: number;
}

describe('Patroni actions on a real cluster', { skip: patroniLabMissing() }, () => {
  let lab: PatroniLab;
  let starting: Promise<PatroniLab> | undefined;
  const audit: AuditRecord[] = [];
  const messages: string[] = [];

  before(async () => {
    starting = startPatroniLab({ synchronousMode: true, scope: 'actions', ...PORTS });
    lab = await starting;
    await waitForStreaming(lab, 2, 30_000);
  }, { timeout: 100_000 });

  after(async () => {
    await starting?.then((l) => l.stop(), () => undefined);
  }, { timeout: 120_000 });

  const list = async () => JSON.parse(await lab.patronictl('list', '-f', 'json')) as Listed[];
  const leaderNow = async () => {
    const rows = await list();
    const l = rows.find((r) => r.Role === 'Leader');
    return { name: l?.Member, timeline: l?.TL };
  };
  const run = async (action: PatroniAction, o: PatroniActionOptions = {}, ro: Partial<RunOptions> = {}) => {
    const spec = patroniActionSpec(action, {
      ...o,
      patroni: { urls: lab.members.map((m) => `http://127.0.0.1:${m.restPort}`), username: lab.restUser, password: lab.restPassword, postgres: { user: lab.superuser, password: lab.superuserPassword } },
    });
    try {
      const r = await runAction(spec, { deadlineMs: 60_000, pollMs: 300, via: 'test', audit: { write: async (rec) => void audit.push(rec) }, secrets: lab.secrets, ...ro });
      messages.push(r.message, JSON.stringify(r.preflight));
      return r;
    } finally {
      await spec.provider.close?.();
    }
  };
  /** Runs a refused action and asserts nothing changed: same leader, same timeline. */
  const refused = async (action: PatroniAction, o: PatroniActionOptions, reason: RegExp) => {
    const was = await leaderNow();
    const r = await run(action, o);
    assert.equal(r.outcome, 'refused', r.message);
    assert.match(r.message, reason);
    assert.deepEqual(await leaderNow(), was, 'the cluster did not change');
    return r;
  };

  test('switchover to the synchronous standby: new leader on a new timeline, the old one streams from it', { timeout: 90_000 }, async () => {
    const was = await leaderNow();
    const sync = (await list()).find((r) => r.Role === 'Sync Standby')?.Member as string;
    assert.ok(sync, 'a sync standby');
    const r = await run('switchover', { member: sync });
    assert.equal(r.outcome, 'done', r.message);
    assert.equal(r.preflight.target, sync);
    assert.equal(r.after?.leader, sync);
    const now = await leaderNow();
    assert.equal(now.name, sync);
    assert.ok((now.timeline ?? 0) > (was.timeline ?? 0), `timeline ${was.timeline} → ${now.timeline}`);
    assert.equal(await lab.psql(sync, 'SELECT pg_is_in_recovery()'), 'f');
    assert.equal(await lab.psql(was.name as string, 'SELECT pg_is_in_recovery()'), 't');
    const old = (await list()).find((x) => x.Member === was.name);
    assert.ok(old && /streaming|running/.test(old.State), JSON.stringify(old));
    const rec = audit.at(-1) as AuditRecord;
    assert.deepEqual([rec.action, rec.outcome, rec.primary, rec.target, rec.cluster], ['switchover', 'done', was.name, sync, 'actions']);
    assert.ok(rec.durationMs > 0 && rec.preflight.ok);
  });

  test('switchover to any member: Patroni chooses, the pre-flight lists who it may choose', { timeout: 90_000 }, async () => {
    await waitForStreaming(lab, 2, 30_000);
    const was = await leaderNow();
    const r = await run('switchover');
    assert.equal(r.outcome, 'done', r.message);
    assert.ok(r.preflight.candidates.some((c) => c.safe));
    const now = await leaderNow();
    assert.notEqual(now.name, was.name);
    assert.ok((now.timeline ?? 0) > (was.timeline ?? 0));
  });

  test('refusals: not a member, an asynchronous replica in synchronous mode, a nofailover member — nothing changes', { timeout: 90_000 }, async () => {
    await waitForStreaming(lab, 2, 30_000);
    await refused('switchover', { member: 'pg9' }, /pg9 is not a member of actions \(members: pg1, pg2, pg3\)/);
    const rows = await list();
    const async = rows.find((r) => r.Role === 'Replica')?.Member as string;
    assert.ok(async, JSON.stringify(rows));
    await refused('switchover', { member: async }, new RegExp(`${async}: synchronous_mode is on and it is not a synchronous standby`));
    // Tag the sync standby nofailover (the config file, then SIGHUP: Patroni reloads its tags).
    const sync = rows.find((r) => r.Role === 'Sync Standby')?.Member as string;
    const m = lab.members.find((x) => x.name === sync);
    assert.ok(m);
    const original = readFileSync(m.config, 'utf8');
    const tagged = parse(original) as { tags: Record<string, unknown> };
    tagged.tags.nofailover = true;
    writeFileSync(m.config, stringify(tagged));
    try {
      process.kill(lab.patroni(sync)?.pid as number, 'SIGHUP');
      await waitFor(`${sync} tagged nofailover`, async () => {
        const c = JSON.parse((await lab.rest(m.restPort, '/cluster')).body) as { members: Array<{ name: string; tags?: Record<string, unknown> }> };
        return c.members.find((x) => x.name === sync)?.tags?.nofailover === true;
      }, 20_000, 300);
      const r = await refused('switchover', { member: sync }, new RegExp(`${sync}: it is tagged nofailover: Patroni never promotes it`));
      assert.equal(r.preflight.candidates.find((c) => c.member === sync)?.safe, false);
    } finally {
      writeFileSync(m.config, original);
      process.kill(lab.patroni(sync)?.pid as number, 'SIGHUP');
    }
    await waitFor(`${sync} without nofailover`, async () => {
      const c = JSON.parse((await lab.rest(m.restPort, '/cluster')).body) as { members: Array<{ name: string; tags?: Record<string, unknown> }> };
      return c.members.find((x) => x.name === sync)?.tags?.nofailover !== true;
    }, 20_000, 300);
    assert.ok(audit.filter((a) => a.outcome === 'refused').length >= 3);
  });

  test('pause, a refused switchover while paused with a lagging candidate named as such, resume', { timeout: 90_000 }, async () => {
    await waitForStreaming(lab, 2, 30_000);
    const p = await run('pause');
    assert.equal(p.outcome, 'done', p.message);
    assert.match(await lab.patronictl('list'), /Maintenance mode: on/);
    assert.equal((await run('pause')).outcome, 'refused');
    const rows = await list();
    const leader = rows.find((r) => r.Role === 'Leader')?.Member as string;
    const sync = rows.find((r) => r.Role === 'Sync Standby')?.Member as string;
    // Replay paused on the sync standby (Patroni leaves it paused while in maintenance mode), then writes.
    await lab.psql(sync, 'SELECT pg_wal_replay_pause()');
    try {
      await lab.psql(leader, 'CREATE TABLE IF NOT EXISTS lag_probe AS SELECT g, md5(g::text) AS h FROM generate_series(1, 60000) g');
      await waitFor('the replica to lag', async () => {
        const r = await run('switchover', { member: sync }, { dryRun: true });
        return r.preflight.candidates.find((c) => c.member === sync)?.reasons.some((x) => /WAL replay is paused/.test(x) && true) && r.preflight.candidates.find((c) => c.member === sync)?.reasons.some((x) => /behind, more than maximum_lag_on_failover/.test(x));
      }, 20_000, 500);
      const r = await refused('switchover', { member: sync }, /the cluster is paused \(maintenance mode\)/);
      const v = r.preflight.candidates.find((c) => c.member === sync);
      assert.ok(v?.reasons.some((x) => /WAL replay is paused on it/.test(x)), JSON.stringify(v));
      assert.ok(v?.reasons.some((x) => /MiB behind, more than maximum_lag_on_failover \(1\.0 MiB\)/.test(x)), JSON.stringify(v));
      assert.equal(await lab.psql(sync, 'SELECT pg_is_in_recovery()'), 't');
    } finally {
      await lab.psql(sync, 'SELECT pg_wal_replay_resume()');
    }
    const r = await run('resume');
    assert.equal(r.outcome, 'done', r.message);
    assert.doesNotMatch(await lab.patronictl('list'), /Maintenance mode: on/);
  });

  test('a scheduled switchover shows in patronictl, and its cancellation removes it; nothing changes meanwhile', { timeout: 60_000 }, async () => {
    await waitForStreaming(lab, 2, 30_000);
    const was = await leaderNow();
    const at = new Date(Date.now() + 3600_000).toISOString().replace('Z', '+00:00');
    const r = await run('switchover', { scheduledAt: at });
    assert.equal(r.outcome, 'done', r.message);
    assert.match(r.message, /scheduled/i);
    await waitFor('patronictl to show the scheduled switchover', async () => /Switchover scheduled at/.test(await lab.patronictl('list')), 10_000, 300);
    const again = await run('switchover', { scheduledAt: at });
    assert.equal(again.outcome, 'refused');
    assert.match(again.message, /already scheduled/);
    const c = await run('cancel-switchover');
    assert.equal(c.outcome, 'done', c.message);
    await waitFor('the schedule to be gone', async () => !/Switchover scheduled/.test(await lab.patronictl('list')), 10_000, 300);
    assert.deepEqual(await leaderNow(), was);
    assert.equal((await run('cancel-switchover')).outcome, 'refused');
  });

  test('restart of a replica: PostgreSQL starts again (new postmaster start time), the member streams', { timeout: 90_000 }, async () => {
    await waitForStreaming(lab, 2, 30_000);
    const replica = (await list()).find((r) => r.Role === 'Replica')?.Member as string;
    const started = await lab.psql(replica, 'SELECT pg_postmaster_start_time()');
    const r = await run('restart', { member: replica });
    assert.equal(r.outcome, 'done', r.message);
    assert.notEqual(await lab.psql(replica, 'SELECT pg_postmaster_start_time()'), started);
    assert.equal((await run('restart')).outcome, 'refused', 'restart names a member or --pending');
  });

  test('reinitialise a replica: cloned again from the leader, streaming; the leader is refused', { timeout: 90_000 }, async () => {
    await waitForStreaming(lab, 2, 30_000);
    const rows = await list();
    const replica = rows.find((r) => r.Role === 'Replica')?.Member as string;
    const leader = rows.find((r) => r.Role === 'Leader')?.Member as string;
    const before = postmasterPid(lab.members.find((m) => m.name === replica)?.dataDir as string);
    const r = await run('reinit', { member: replica });
    assert.equal(r.outcome, 'done', r.message);
    assert.notEqual(postmasterPid(lab.members.find((m) => m.name === replica)?.dataDir as string), before);
    assert.equal(await lab.psql(replica, 'SELECT pg_is_in_recovery()'), 't');
    await refused('reinit', { member: leader }, /it is the leader/);
  });

  test('the leader dies while paused: failover to the sync standby; the dead one comes back as a replica', { timeout: 120_000 }, async () => {
    await waitForStreaming(lab, 2, 30_000);
    assert.equal((await run('pause')).outcome, 'done');
    const rows = await list();
    const leader = rows.find((r) => r.Role === 'Leader')?.Member as string;
    const sync = rows.find((r) => r.Role === 'Sync Standby')?.Member as string;
    const dir = lab.members.find((m) => m.name === leader)?.dataDir as string;
    const pm = postmasterPid(dir);
    await lab.killPatroni(leader);
    if (pm) process.kill(pm, 'SIGKILL');
    await waitFor('the leader key to expire', async () => !(await list()).some((r) => r.Role === 'Leader'), 30_000, 500);
    assert.equal((await run('switchover', { member: sync })).outcome, 'refused', 'no leader to hand over from');
    const noCandidate = await run('failover');
    assert.equal(noCandidate.outcome, 'refused');
    assert.match(noCandidate.message, /a failover needs a candidate/);
    const r = await run('failover', { member: sync });
    assert.equal(r.outcome, 'done', r.message);
    assert.equal((await leaderNow()).name, sync);
    assert.equal(await lab.psql(sync, 'SELECT pg_is_in_recovery()'), 'f');
    await lab.startMember(leader);
    assert.equal((await run('resume')).outcome, 'done');
    await waitFor(`${leader} back as a replica`, async () => (await list()).some((x) => x.Member === leader && /streaming|running/.test(x.State) && x.Role !== 'Leader'), 60_000, 500);
  });

  test('the CLI: --dry-run, a refusal (exit 3), no terminal and no --yes (exit 1), a switchover with --yes (exit 0), its audit line', { timeout: 120_000, skip: !existsSync(CLI) && 'dist/hatopo.js is not built' }, async () => {
    await waitForStreaming(lab, 2, 60_000);
    const home = mkdtempSync(join(tmpdir(), 'hatopo-actions-'));
    const auditFile = join(home, 'audit.jsonl');
    // The password in the URL, as a person would paste it; PostgreSQL's from the environment, as psql reads it.
    const url = lab.members.map((m) => `http://${lab.restUser}:${encodeURIComponent(lab.restPassword)}@127.0.0.1:${m.restPort}`).join(',');
    const env = { PATH: process.env.PATH, HOME: home, HATOPO_STATE_DIR: home, PGUSER: lab.superuser, PGPASSWORD: lab.superuserPassword, NO_COLOR: '1' };
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args, '--patroni', url], { encoding: 'utf8', env, timeout: 100_000, input: '' });
      messages.push(r.stdout, r.stderr);
      return r;
    };
    try {
      const was = await leaderNow();
      const sync = (await list()).find((r) => r.Role === 'Sync Standby')?.Member as string;
      const dry = cli('switchover', '--candidate', sync, '--dry-run');
      assert.equal(dry.status, 0, dry.stderr + dry.stdout);
      assert.match(dry.stdout, /pre-flight: passed/);
      assert.match(dry.stdout, new RegExp(`✓ ${sync} \\(target\\): safe`));
      assert.match(dry.stdout, /dry run/);
      const unknown = cli('switchover', '--candidate', 'pg9', '--yes');
      assert.equal(unknown.status, 3, unknown.stderr + unknown.stdout);
      assert.match(unknown.stdout, /pg9 is not a member of actions/);
      const unasked = cli('switchover', '--candidate', sync);
      assert.equal(unasked.status, 1, unasked.stderr + unasked.stdout);
      assert.match(unasked.stderr, /not a terminal, and no --yes: nothing was changed/);
      assert.deepEqual(await leaderNow(), was, 'nothing changed so far');
      const done = cli('switchover', '--candidate', sync, '--yes', '--format', 'json');
      assert.equal(done.status, 0, done.stderr + done.stdout);
      const result = JSON.parse(done.stdout) as { outcome: string; after: { leader: string } };
      assert.equal(result.outcome, 'done');
      assert.equal(result.after.leader, sync);
      assert.equal((await leaderNow()).name, sync);
      const lines = readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
      assert.deepEqual(lines.map((l) => l.outcome), ['dry-run', 'refused', 'cancelled', 'done']);
      assert.ok(lines.every((l) => l.via === 'cli' && l.cluster === 'actions' && l.source.startsWith('http://127.0.0.1:')));
      messages.push(readFileSync(auditFile, 'utf8'));
      const usage = cli('switchover', '--cancel', '--candidate', sync);
      assert.equal(usage.status, 2);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('no message, pre-flight or audit record carries a password', () => {
    assert.ok(audit.length >= 10, `${audit.length} records`);
    const all = JSON.stringify(audit) + messages.join('\n');
    for (const s of lab.secrets) assert.ok(!all.includes(s), 'a secret leaked');
  });
});
