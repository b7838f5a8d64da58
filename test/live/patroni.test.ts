// The Patroni provider against a real etcd + 3-member Patroni 3.0.2 cluster in synchronous mode: every
// state read is compared with what psql reads from each PostgreSQL and what patronictl says, before
// and after the changes made here (maintenance mode, paused replay, a stopped replica, a switchover,
// the leader's agent SIGKILLed), and no output ever carries a password.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ClusterState, Member } from '../../live/src/model';
import type { Provider } from '../../live/src/provider';
import { patroniProvider } from '../../live/src/providers/patroni';
import type { PatroniOptions } from '../../live/src/providers/patroni';
import { validateClusterState } from '../helpers/cluster-state';
import { waitFor } from './lab/processes';
import type { PatroniLab } from './lab/patroni';
import { patroniLabMissing, startPatroniLab, waitForStreaming } from './lab/patroni';
import { TIMELINE_SQL, rows } from './lab/psql';

const TIMEOUT = 3000;
const CLOSED_REST_PORT = 18019;
const LAG_TOLERANCE = 64 * 1024;

interface Truth {
  /** Per member: whether PostgreSQL is in recovery and its timeline; undefined when it does not answer. */
  servers: Map<string, { recovery: boolean; timeline: number } | undefined>;
  /** The leader's pg_stat_replication by application_name. */
  replication: Map<string, { state: string; sync: string; lag: number }>;
  /** patronictl list: member → role and state. */
  listed: Map<string, { role: string; state: string; tl?: number }>;
}

describe('patroni provider on a real Patroni cluster', { skip: patroniLabMissing(), timeout: 300_000 }, () => {
  let lab: PatroniLab;
  let main: Provider;
  const outputs: string[] = [];
  const creds = () => ({ user: lab.superuser, password: lab.superuserPassword });
  const provider = (o: Partial<PatroniOptions> = {}): Provider => patroniProvider({ urls: [`http://127.0.0.1:${lab.members[0].restPort}`], username: lab.restUser, password: lab.restPassword, ...o });
  const read = async (p: Provider): Promise<ClusterState> => {
    const states = await p.read({ timeoutMs: TIMEOUT });
    outputs.push(JSON.stringify(states));
    validateClusterState(states);
    assert.equal(states.length, 1);
    return states[0];
  };
  const member = (s: ClusterState, name: string): Member => {
    const m = s.members.find((x) => x.name === name);
    assert.ok(m, `${name} is not among ${s.members.map((x) => x.name).join(', ')}`);
    return m;
  };

  async function truth(leaderHint?: string): Promise<Truth> {
    const servers = new Map<string, { recovery: boolean; timeline: number } | undefined>();
    for (const m of lab.members) {
      const r = await lab.psql(m.name, `SELECT pg_is_in_recovery(), (${TIMELINE_SQL})`).catch(() => undefined);
      servers.set(m.name, r ? { recovery: r.split('|')[0] === 't', timeline: Number(r.split('|')[1]) } : undefined);
    }
    const replication = new Map<string, { state: string; sync: string; lag: number }>();
    const primary = leaderHint ?? [...servers].find(([, v]) => v && !v.recovery)?.[0];
    if (primary) {
      const text = await lab.psql(primary, 'SELECT application_name, state, sync_state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication');
      for (const [app, state, sync, lag] of rows(text)) replication.set(app, { state, sync, lag: Number(lag) });
    }
    const listed = new Map<string, { role: string; state: string; tl?: number }>();
    for (const r of JSON.parse(await lab.patronictl('list', '-f', 'json')) as { Member: string; Role: string; State: string; TL?: number }[]) listed.set(r.Member, { role: r.Role, state: r.State, tl: r.TL });
    return { servers, replication, listed };
  }

  /** The provider's view against the truth: leader, members, roles, timelines, sync states, streaming, writability, lag. */
  function compare(s: ClusterState, t: Truth): string[] {
    const diffs: string[] = [];
    const expect = (what: string, got: unknown, want: unknown) => {
      if (got !== want) diffs.push(`${what}: provider ${JSON.stringify(got)}, truth ${JSON.stringify(want)}`);
    };
    const leader = [...t.listed].find(([, v]) => v.role === 'Leader')?.[0];
    expect('leader (patronictl)', s.leader, leader);
    expect('members (patronictl)', s.members.map((m) => m.name).sort().join(','), [...t.listed.keys()].sort().join(','));
    for (const m of s.members) {
      const server = t.servers.get(m.name);
      const listed = t.listed.get(m.name);
      expect(`${m.name} role (patronictl)`, m.role, listed?.role === 'Leader' ? 'primary' : listed?.role === 'Sync Standby' ? 'sync-standby' : 'replica');
      expect(`${m.name} writable (psql)`, m.writable, server ? !server.recovery : undefined);
      if (!server) continue;
      if (m.role === 'primary') expect(`${m.name} in recovery (psql)`, server.recovery, false);
      expect(`${m.name} timeline (psql)`, m.timeline, server.timeline);
      if (m.role === 'primary') continue;
      const rep = t.replication.get(m.name);
      expect(`${m.name} sync state (pg_stat_replication)`, m.syncState, rep?.sync);
      expect(`${m.name} streaming (pg_stat_replication)`, m.state === 'streaming', rep?.state === 'streaming');
      if (rep && (m.lagBytes === undefined || Math.abs(m.lagBytes - rep.lag) > LAG_TOLERANCE)) diffs.push(`${m.name} lag: provider ${m.lagBytes}, pg_stat_replication ${rep.lag}`);
    }
    return diffs;
  }

  /** Reads until the provider and the truth agree (the cluster moves between two reads), within a bound. */
  async function agreed(p: Provider, timeoutMs = 10000, check?: (s: ClusterState) => string[]): Promise<ClusterState> {
    let last: string[] = [];
    let state: ClusterState | undefined;
    await waitFor('the provider to agree with psql and patronictl', async () => {
      state = await read(p);
      last = [...compare(state, await truth()), ...(check?.(state) ?? [])];
      if (last.length) throw new Error(last.join('\n'));
      return true;
    }, timeoutMs, 400);
    assert.deepEqual(last, []);
    return state as ClusterState;
  }

  // The start is kept as a promise: should `before` time out, `after` still waits for it and stops it.
  let starting: Promise<PatroniLab> | undefined;
  before(async () => {
    starting = startPatroniLab({ synchronousMode: true });
    lab = await starting;
    main = provider({ postgres: creds() });
  }, { timeout: 100_000 });

  after(async () => {
    await starting?.then((l) => l.stop(), () => undefined);
  }, { timeout: 120_000 });

  test('an endpoint with nothing behind it is an error state, fast, without the password in it', { timeout: 10_000 }, async () => {
    const started = Date.now();
    const s = await read(patroniProvider({ urls: [`http://${lab.restUser}:${encodeURIComponent(lab.restPassword)}@127.0.0.1:${CLOSED_REST_PORT}`] }));
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.equal(s.health, 'error');
    assert.deepEqual(s.members, []);
    assert.match(s.error ?? '', new RegExp(`connection refused 127\\.0\\.0\\.1:${CLOSED_REST_PORT}`));
    assert.equal(s.source, `http://127.0.0.1:${CLOSED_REST_PORT}`);
  });

  test('the first read matches psql and patronictl: leader, sync standby, replicas streaming, timelines', { timeout: 30_000 }, async () => {
    const s = await agreed(main);
    assert.equal(s.name, lab.scope);
    assert.equal(s.health, 'ok', JSON.stringify(s.problems));
    assert.deepEqual(s.problems, []);
    assert.equal(s.members.filter((m) => m.writable).length, 1);
    assert.equal(s.members.filter((m) => m.role === 'sync-standby').length, 1);
    for (const m of s.members) assert.equal(m.apiUrl, lab.members.find((x) => x.name === m.name)?.apiUrl);
    assert.equal((s.details as { version?: string }).version, '3.0.2');
    // Wrong PostgreSQL credentials: every member unchecked, said so, the wrong password nowhere.
    const wrong = `wrong-${lab.superuserPassword.slice(0, 6)}`;
    const bad = await read(provider({ postgres: { user: lab.superuser, password: wrong } }));
    const unchecked = bad.problems.filter((p) => p.code === 'split-brain-unchecked');
    assert.equal(unchecked.length, lab.members.length, JSON.stringify(bad.problems));
    for (const p of unchecked) assert.match(p.message, /password authentication failed for user "postgres"/);
    assert.ok(!JSON.stringify(bad).includes(wrong));
  });

  test('maintenance mode shows as paused, and goes', { timeout: 30_000 }, async () => {
    await lab.patronictl('pause', '--wait');
    try {
      const s = await read(main);
      assert.equal(s.paused, true);
      assert.ok(s.problems.some((p) => p.code === 'paused' && p.severity === 'warning'));
      assert.match(await lab.patronictl('list'), /Maintenance mode: on/);
    } finally {
      await lab.patronictl('resume', '--wait');
    }
    const s = await read(main);
    assert.equal(s.paused, false);
    assert.ok(!s.problems.some((p) => p.code === 'paused'));
  });

  test('replay paused on a replica: its lag grows with the writes on the leader, then shrinks once resumed', { timeout: 40_000 }, async () => {
    const t = await truth();
    const leader = [...t.servers].find(([, v]) => v && !v.recovery)?.[0] as string;
    const replica = [...t.replication].find(([, r]) => r.sync === 'async')?.[0] as string;
    assert.ok(leader && replica, `leader ${leader}, async replica ${replica}`);
    // Patroni 3.0 resumes a paused replay on PostgreSQL 14+ at every loop unless in maintenance mode.
    await lab.patronictl('pause', '--wait');
    await lab.psql(replica, 'SELECT pg_wal_replay_pause()');
    try {
      await waitFor('replay to pause', async () => (await lab.psql(replica, 'SELECT pg_get_wal_replay_pause_state()')) === 'paused', 5000);
      await lab.psql(leader, 'CREATE TABLE lag_probe AS SELECT g, md5(g::text) AS h FROM generate_series(1, 60000) g');
      const s = await agreed(main, 10000, (st) => {
        const m = member(st, replica);
        return (m.lagBytes ?? 0) > 1024 * 1024 ? [] : [`${replica} lag ${m.lagBytes} not over 1 MiB yet`];
      });
      const m = member(s, replica);
      assert.equal(m.health, 'warning');
      assert.match(m.detail ?? '', /replay paused/);
      assert.equal(await lab.psql(replica, 'SELECT pg_is_wal_replay_paused()'), 't');
      assert.ok(s.problems.some((p) => p.code === 'replay-paused' && p.member === replica));
      assert.ok(s.problems.some((p) => p.code === 'lagging' && p.member === replica && p.severity === 'warning'));
      assert.equal(s.health, 'warning');
    } finally {
      await lab.psql(replica, 'SELECT pg_wal_replay_resume()');
      await lab.patronictl('resume', '--wait');
    }
    const s = await agreed(main, 10000, (st) => ((member(st, replica).lagBytes ?? 1) === 0 ? [] : [`${replica} still ${member(st, replica).lagBytes} bytes behind`]));
    assert.ok(!s.problems.some((p) => p.member === replica), JSON.stringify(s.problems));
    assert.equal(s.health, 'ok');
  });

  test('a stopped replica: reported down, as patronictl says, while psql cannot reach it', { timeout: 40_000 }, async () => {
    const t = await truth();
    const replica = [...t.replication].find(([, r]) => r.sync === 'async')?.[0] as string;
    await lab.stopMember(replica);
    const s = await agreed(main, 10000);
    const m = member(s, replica);
    assert.equal(m.state, 'stopped');
    assert.equal(m.health, 'warning');
    assert.equal(m.writable, undefined);
    await assert.rejects(lab.psql(replica, 'SELECT 1'), /Connection refused|could not connect/);
    assert.ok(s.problems.some((p) => p.code === 'member-down' && p.member === replica && p.severity === 'warning'));
    assert.equal(s.health, 'warning');
  });

  test('a switchover made with patronictl: new leader on a new timeline, the old one streams from it', { timeout: 60_000 }, async () => {
    const first = await read(main);
    const oldLeader = first.leader as string;
    const candidate = first.members.find((m) => m.role === 'sync-standby')?.name as string;
    const oldTimeline = member(first, oldLeader).timeline as number;
    await lab.patronictl('switchover', '--leader', oldLeader, '--candidate', candidate, '--force');
    assert.equal(await waitForStreaming(lab, 1, 30000), candidate);
    const s = await agreed(main, 15000);
    assert.equal(s.leader, candidate);
    assert.equal(member(s, candidate).timeline, oldTimeline + 1);
    assert.equal(member(s, oldLeader).role, 'sync-standby');
    assert.equal(member(s, oldLeader).writable, false);
    const history = (s.details as { history: { timeline: number; newLeader?: string }[] }).history;
    assert.deepEqual(
      history.map((h) => [h.timeline, h.newLeader]).at(-1),
      [oldTimeline, candidate],
    );
  });

  test('the leader agent SIGKILLed: its PostgreSQL stays writable, the provider names it as split brain', { timeout: 70_000 }, async () => {
    const leader = await waitForStreaming(lab, 1, 20000);
    const heir = (await read(main)).members.find((m) => m.role === 'sync-standby')?.name as string;
    assert.ok(heir, 'a sync standby to take over');
    // A provider given only the leader's endpoint learns the others now, and must use them later.
    const viaLeader = provider({ urls: [`http://127.0.0.1:${lab.members.find((m) => m.name === leader)?.restPort}`] });
    assert.equal((await read(viaLeader)).leader, leader);
    const blind = provider();
    await read(blind);
    await lab.killPatroni(leader);
    const killedAt = Date.now();
    let unreachableAfter: number | undefined;
    let s: ClusterState | undefined;
    await waitFor('the provider to report the split brain', async () => {
      s = await read(main);
      // Its PostgreSQL still answers (WAL positions come from there), yet the dead agent's API is
      // asked at least every 10 s: it shows as not answering while the DCS still lists it.
      if (unreachableAfter === undefined && s.problems.some((p) => p.code === 'member-unreachable' && p.member === leader && /connection refused/.test(p.message))) unreachableAfter = Date.now() - killedAt;
      return s.leader === heir && s.problems.some((p) => p.code === 'split-brain');
    }, 40000, 500);
    assert.ok(unreachableAfter !== undefined && unreachableAfter < 12_000, `the dead agent's API reported as not answering after ${unreachableAfter} ms`);
    const state = s as ClusterState;
    const split = state.problems.filter((p) => p.code === 'split-brain');
    assert.equal(split.length, 1, JSON.stringify(state.problems));
    assert.equal(split[0].severity, 'error');
    assert.equal(split[0].member, leader);
    assert.match(split[0].message, new RegExp(`${leader} \\(127\\.0\\.0\\.1:\\d+\\) accepts writes besides ${heir}, the leader`));
    assert.equal(state.health, 'error');
    assert.equal(member(state, leader).writable, true);
    assert.equal(member(state, leader).health, 'error');
    assert.equal(member(state, heir).writable, true);
    // The truth: both PostgreSQL servers are out of recovery, and patronictl names the heir.
    assert.equal(await lab.psql(leader, 'SELECT pg_is_in_recovery()'), 'f');
    assert.equal(await lab.psql(heir, 'SELECT pg_is_in_recovery()'), 'f');
    const listed = JSON.parse(await lab.patronictl('list', '-f', 'json')) as { Member: string; Role: string }[];
    assert.equal(listed.find((r) => r.Role === 'Leader')?.Member, heir);
    // Once the dead agent's member key expires, the orphan is still found through the address remembered.
    await waitFor(`${leader} to leave /cluster`, async () => !(JSON.parse(await lab.patronictl('list', '-f', 'json')) as { Member: string }[]).some((r) => r.Member === leader), 20000, 500);
    const later = await read(main);
    assert.equal(member(later, leader).state, 'not in cluster');
    assert.equal(later.problems.find((p) => p.code === 'split-brain')?.member, leader);
    // The endpoint given is dead: the provider reads through a member it saw.
    const fallback = await read(viaLeader);
    assert.equal(fallback.leader, heir);
    assert.notEqual(fallback.source, viaLeader.source);
    assert.ok(fallback.problems.some((p) => p.code === 'endpoint-unreachable'), JSON.stringify(fallback.problems));
    // Without PostgreSQL credentials nothing can tell: no alarm, and no member marked writable.
    const unaware = await read(blind);
    assert.ok(!unaware.problems.some((p) => p.code === 'split-brain'));
    assert.ok(unaware.members.every((m) => m.writable === undefined));
  });

  test('no output carries a password', () => {
    assert.ok(outputs.length > 10, `only ${outputs.length} outputs`);
    const all = outputs.join('\n');
    for (const secret of lab.secrets) {
      assert.ok(!all.includes(secret), 'a password appears in an output');
      assert.ok(!all.includes(encodeURIComponent(secret)), 'a URL-encoded password appears in an output');
    }
  });
});

describe('patroni provider over HTTPS with a client certificate', { skip: patroniLabMissing(), timeout: 150_000 }, () => {
  let lab: PatroniLab;
  const outputs: string[] = [];
  const read = async (o: Partial<PatroniOptions>): Promise<ClusterState> => {
    const states = await patroniProvider({ urls: [`https://127.0.0.1:${lab.members[0].restPort}`], username: lab.restUser, password: lab.restPassword, ...o }).read({ timeoutMs: TIMEOUT });
    outputs.push(JSON.stringify(states));
    validateClusterState(states);
    return states[0];
  };

  let starting: Promise<PatroniLab> | undefined;
  before(async () => {
    starting = startPatroniLab({ members: 1, tls: true });
    lab = await starting;
  }, { timeout: 60_000 });

  after(async () => {
    await starting?.then((l) => l.stop(), () => undefined);
  }, { timeout: 90_000 });

  test('with the CA and a client certificate it reads; without either it says why', { timeout: 20_000 }, async () => {
    const certs = lab.certificates;
    assert.ok(certs && lab.clientTls);
    const s = await read({ tls: lab.clientTls });
    assert.equal(s.error, undefined, s.error);
    assert.equal(s.leader, 'pg1');
    assert.equal(s.members[0].apiUrl, `https://127.0.0.1:${lab.members[0].restPort}/patroni`);
    assert.equal(await lab.psql('pg1', 'SELECT pg_is_in_recovery()'), 'f');
    assert.equal((JSON.parse(await lab.patronictl('list', '-f', 'json')) as { Member: string; Role: string }[])[0].Role, 'Leader');
    // The server demands a client certificate.
    const noClient = await read({ tls: { caFile: certs.ca } });
    assert.equal(noClient.error, `the server requires a client certificate (127.0.0.1:${lab.members[0].restPort})`);
    // A CA that did not sign the server's certificate.
    const wrongCa = await read({ tls: { ...lab.clientTls, caFile: certs.otherCa } });
    assert.equal(wrongCa.error, `self-signed certificate in certificate chain (127.0.0.1:${lab.members[0].restPort})`);
    // No CA at all: only with verification off, as for a lab.
    assert.match((await read({ tls: { certFile: certs.clientCert, keyFile: certs.clientKey } })).error ?? '', /certificate/);
    assert.equal((await read({ tls: { certFile: certs.clientCert, keyFile: certs.clientKey, verify: false } })).leader, 'pg1');
    const all = outputs.join('\n');
    for (const secret of lab.secrets) assert.ok(!all.includes(secret) && !all.includes(encodeURIComponent(secret)), 'a password appears in an output');
  });
});
