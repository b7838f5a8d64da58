// The drift checks: small config files against live snapshots, asserting codes and ranges.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEngine } from '../../server/src/core';
import type { Diagnostic, LiveSnapshot } from '../../server/src/core';
import type { ClusterState } from '../../live/src/model';
import { dedent } from '../helpers/engine';
import { haproxyState, patroniState, sentinelState } from '../helpers/live-samples';

function fresh() {
  return createEngine({ logger: { info: () => undefined, error: (m) => assert.fail(m) } });
}

/** `pg<n>`'s patroni.yml in the sample cluster `demo` (its addresses are the sample's). */
function member(n: number, extra = ''): string {
  return dedent(`
    scope: demo
    name: pg${n}
    restapi:
      connect_address: 127.0.0.1:${8007 + n}
    postgresql:
      connect_address: 127.0.0.1:${5432 + n}
  `) + extra;
}

const SYNC = 'bootstrap:\n  dcs:\n    synchronous_mode: true\n';

function live(codes: string, diags: Diagnostic[]): Diagnostic[] {
  return diags.filter((d) => d.code === codes);
}

const at = (d: Diagnostic) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

describe('live/sync-standby-missing', () => {
  test('on synchronous_mode when the live cluster has no sync standby, gone when one is back or disconnected', () => {
    const e = fresh();
    const uri = 'file:///w/pg1/patroni.yml';
    const text = member(1, SYNC);
    assert.deepEqual(live('live/sync-standby-missing', e.validate({ uri, text })), [], 'no snapshot: nothing');
    const noSync = patroniState();
    noSync.members[1].role = 'replica';
    noSync.members[1].syncState = 'async';
    assert.equal(e.setLiveState({ clusters: [noSync] }), true);
    const [d, ...rest] = live('live/sync-standby-missing', e.validate({ uri, text }));
    assert.equal(rest.length, 0);
    assert.deepEqual(at(d), [8, 4, 8, 20]);
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /demo/);
    // The sample as it is has pg2 as sync standby.
    e.setLiveState({ clusters: [patroniState()] });
    assert.deepEqual(live('live/sync-standby-missing', e.validate({ uri, text })), []);
    e.setLiveState({ clusters: [noSync] });
    assert.equal(live('live/sync-standby-missing', e.validate({ uri, text })).length, 1);
    e.setLiveState(undefined);
    assert.deepEqual(live('live/sync-standby-missing', e.validate({ uri, text })), []);
  });

  test('quiet for another scope, for synchronous_mode off, and for an unreachable cluster', () => {
    const e = fresh();
    const noSync = patroniState();
    noSync.members[1].role = 'replica';
    delete noSync.members[1].syncState;
    e.setLiveState({ clusters: [{ ...noSync, name: 'other', members: noSync.members.map((m) => ({ ...m, address: '10.9.9.9:1', apiUrl: undefined })) }] });
    assert.deepEqual(live('live/sync-standby-missing', e.validate({ uri: 'file:///a/patroni.yml', text: member(1, SYNC) })), []);
    e.setLiveState({ clusters: [noSync] });
    assert.deepEqual(live('live/sync-standby-missing', e.validate({ uri: 'file:///b/patroni.yml', text: member(1, SYNC.replace('true', 'false')) })), []);
    e.setLiveState({ clusters: [{ ...noSync, members: [], error: 'connection refused 127.0.0.1:8008', health: 'error' }] });
    assert.deepEqual(live('live/sync-standby-missing', e.validate({ uri: 'file:///c/patroni.yml', text: member(1, SYNC) })), []);
  });

  test('a file without scope is matched by its addresses', () => {
    const e = fresh();
    const noSync = patroniState();
    noSync.members[1].role = 'replica';
    delete noSync.members[1].syncState;
    e.setLiveState({ clusters: [noSync] });
    const text = member(1, SYNC).replace('scope: demo\n', '');
    assert.equal(live('live/sync-standby-missing', e.validate({ uri: 'file:///w/patroni.yml', text })).length, 1);
  });
});

describe('live/member-not-live and live/member-undescribed', () => {
  test('a member the files describe that the cluster lacks, on its name line; a live member no file describes, once', () => {
    const e = fresh();
    e.setWorkspaceFile('file:///w/pg1/patroni.yml', member(1));
    e.setWorkspaceFile('file:///w/pg4/patroni.yml', member(4));
    e.setLiveState({ clusters: [patroniState()] });
    const pg4 = e.validate({ uri: 'file:///w/pg4/patroni.yml', text: member(4) });
    const [missing, ...more] = live('live/member-not-live', pg4);
    assert.equal(more.length, 0);
    assert.deepEqual(at(missing), [1, 0, 1, 9]);
    assert.match(missing.message, /\bpg4\b.*1 of the 2 members/);
    assert.deepEqual(live('live/member-undescribed', pg4), [], 'only the first file of the cluster speaks for it');
    const pg1 = e.validate({ uri: 'file:///w/pg1/patroni.yml', text: member(1) });
    assert.deepEqual(live('live/member-not-live', pg1), []);
    const undescribed = live('live/member-undescribed', pg1);
    assert.deepEqual(
      undescribed.map((d) => [d.severity, ...at(d)]),
      [
        ['information', 0, 0, 0, 11],
        ['information', 0, 0, 0, 11],
      ],
    );
    assert.deepEqual(undescribed.map((d) => /member (pg\d)/.exec(d.message)?.[1]), ['pg2', 'pg3']);
  });

  test('a member listed but stopped is not live; a healthy one is', () => {
    const e = fresh();
    const s = patroniState();
    s.members[2] = { ...s.members[2], state: 'stopped', health: 'error' };
    s.health = 'error';
    e.setLiveState({ clusters: [s] });
    const [d] = live('live/member-not-live', e.validate({ uri: 'file:///w/pg3/patroni.yml', text: member(3) }));
    assert.ok(d);
    assert.match(d.message, /stopped/);
    assert.deepEqual(live('live/member-not-live', e.validate({ uri: 'file:///w/pg2/patroni.yml', text: member(2) })), []);
  });

  test('editing a member file re-validates the others; an edit that only moves lines does not', () => {
    const e = fresh();
    e.setLiveState({ clusters: [patroniState()] });
    const uri = 'file:///w/pg1/patroni.yml';
    assert.equal(live('live/member-undescribed', e.validate({ uri, text: member(1) })).length, 2);
    assert.equal(e.setWorkspaceFile('file:///w/pg2/patroni.yml', member(2)), true);
    assert.equal(live('live/member-undescribed', e.validate({ uri, text: member(1) })).length, 1);
    assert.equal(e.setWorkspaceFile('file:///w/pg2/patroni.yml', '# moved\n' + member(2)), false);
  });
});

describe('live/split-brain', () => {
  function splitState(): ClusterState {
    const s = patroniState();
    s.members[0].writable = true;
    s.members[1].writable = false;
    s.members[2].writable = true;
    s.problems.push({ code: 'split-brain', severity: 'error', message: 'pg3 accepts writes while pg1 leads', member: 'pg3' });
    s.health = 'error';
    return s;
  }

  test('an error on the orphan member file name line, none on the leader', () => {
    const e = fresh();
    e.setLiveState({ clusters: [splitState()] });
    const [d, ...more] = live('live/split-brain', e.validate({ uri: 'file:///w/pg3/patroni.yml', text: member(3) }));
    assert.equal(more.length, 0);
    assert.equal(d.severity, 'error');
    assert.deepEqual(at(d), [1, 0, 1, 9]);
    assert.deepEqual(live('live/split-brain', e.validate({ uri: 'file:///w/pg1/patroni.yml', text: member(1) })), []);
    assert.deepEqual(live('live/split-brain', e.validate({ uri: 'file:///w/pg2/patroni.yml', text: member(2) })), []);
  });

  test('an orphan Patroni no longer lists, found through its file\'s address: split brain, not a second warning', () => {
    const e = fresh();
    const s = splitState();
    s.members[2] = { ...s.members[2], state: 'not in cluster', health: 'error' };
    e.setLiveState({ clusters: [s] });
    const drift = (text: string) => e.validate({ uri: 'file:///w/pg3/patroni.yml', text }).filter((d) => d.code.startsWith('live/') && d.code !== 'live/member-undescribed');
    const diags = drift(member(3));
    assert.deepEqual(diags.map((d) => d.code), ['live/split-brain']);
    // The same member, read-only: it is simply not a member any more.
    s.members[2] = { ...s.members[2], writable: false, health: 'warning' };
    s.problems = [];
    e.setLiveState({ clusters: [s] });
    const [d] = drift(member(3));
    assert.equal(d.code, 'live/member-not-live');
    assert.match(d.message, /pg3 is not a member of live cluster demo/);
  });

  test('found from writable members alone, and from the problem alone', () => {
    const e = fresh();
    const byWritable = splitState();
    byWritable.problems = [];
    e.setLiveState({ clusters: [byWritable] });
    assert.equal(live('live/split-brain', e.validate({ uri: 'file:///a/pg3/patroni.yml', text: member(3) })).length, 1);
    const byProblem = splitState();
    for (const m of byProblem.members) delete m.writable;
    e.setLiveState({ clusters: [byProblem] });
    assert.equal(live('live/split-brain', e.validate({ uri: 'file:///b/pg3/patroni.yml', text: member(3) })).length, 1);
    e.setLiveState({ clusters: [patroniState()] });
    assert.deepEqual(live('live/split-brain', e.validate({ uri: 'file:///c/pg3/patroni.yml', text: member(3) })), []);
  });
});

describe('live/write-route-replica', () => {
  const cfg = (check: string, name = 'pg_write') =>
    dedent(`
      listen ${name}
        bind :5000
        ${check}
        server pg1 127.0.0.1:5433 check port 8008
        server pg2 127.0.0.1:5434 check port 8009
        server pg3 127.0.0.1:5435 check port 8010
    `);
  const routeDiags = (snapshot: LiveSnapshot, text: string) => {
    const e = fresh();
    e.setLiveState(snapshot);
    return live('live/write-route-replica', e.validate({ uri: 'file:///w/haproxy.cfg', text }));
  };

  test('HAProxy says UP for a server the cluster calls a replica: an error on its address', () => {
    const h = haproxyState();
    h.members[3].state = 'UP';
    const diags = routeDiags({ clusters: [patroniState(), h] }, cfg('option httpchk GET /primary'));
    assert.deepEqual(diags.map((d) => [d.severity, ...at(d)]), [['error', 4, 13, 4, 27]]);
    assert.match(diags[0].message, /pg2/);
  });

  test("a server HAProxy does not check (`no check`) takes traffic as UP does", () => {
    const h = haproxyState();
    h.members[3].state = 'no check';
    const diags = routeDiags({ clusters: [patroniState(), h] }, cfg('option httpchk GET /primary'));
    assert.deepEqual(diags.map((d) => at(d)[0]), [4]);
    assert.match(diags[0].message, /no check/);
  });

  test('DOWN replicas are not routed to; without HAProxy state a /primary check is trusted, a TCP check is not', () => {
    assert.deepEqual(routeDiags({ clusters: [patroniState(), haproxyState()] }, cfg('option httpchk GET /primary')), []);
    assert.deepEqual(routeDiags({ clusters: [patroniState()] }, cfg('option httpchk GET /primary')), []);
    const tcp = routeDiags({ clusters: [patroniState()] }, cfg('option tcp-check'));
    assert.deepEqual(tcp.map((d) => at(d)[0]), [4, 5]);
  });

  test('a read listener may route to replicas', () => {
    assert.deepEqual(routeDiags({ clusters: [patroniState()] }, cfg('option httpchk GET /replica', 'pg_read')), []);
  });
});

describe('live/sentinel-master-moved', () => {
  test('on the address of the monitor line when Sentinel now reports another master', () => {
    const e = fresh();
    e.setLiveState({ clusters: [sentinelState()] });
    const moved = 'port 26379\nsentinel monitor mymaster 127.0.0.1 6380 2\n';
    const [d, ...more] = live('live/sentinel-master-moved', e.validate({ uri: 'file:///w/sentinel.conf', text: moved }));
    assert.equal(more.length, 0);
    assert.deepEqual(at(d), [1, 26, 1, 40]);
    assert.match(d.message, /127\.0\.0\.1:6379/);
    const same = 'port 26379\nsentinel monitor mymaster localhost 6379 2\n';
    assert.deepEqual(live('live/sentinel-master-moved', e.validate({ uri: 'file:///w/sentinel2.conf', text: same })), []);
    const other = 'port 26379\nsentinel monitor othermaster 127.0.0.1 6380 2\n';
    assert.deepEqual(live('live/sentinel-master-moved', e.validate({ uri: 'file:///w/sentinel3.conf', text: other })), []);
  });
});

describe('the snapshot as an input', () => {
  test('only what checks read re-validates: lag and time do not, roles do', () => {
    const e = fresh();
    assert.equal(e.setLiveState({ clusters: [patroniState()] }), true);
    const laggier = patroniState({ observedAt: '2024-05-01T10:00:02.000Z' });
    laggier.members[2].lagBytes = 9e9;
    assert.equal(e.setLiveState({ clusters: [laggier] }), false);
    assert.equal(e.liveState()?.clusters[0].members[2].lagBytes, 9e9, 'hover sees the newest snapshot anyway');
    const switched = patroniState({ leader: 'pg2' });
    switched.members[0].role = 'replica';
    switched.members[1].role = 'primary';
    assert.equal(e.setLiveState({ clusters: [switched] }), true);
    assert.equal(e.setLiveState(undefined), true);
    assert.equal(e.setLiveState({ clusters: [] }), false);
  });

  test('malformed input is read as far as it makes sense, never thrown on', () => {
    const e = fresh();
    for (const junk of [null, 42, 'x', [], { clusters: 'no' }, { clusters: [null, 1, { kind: 'mysql', name: 'x' }, { kind: 'patroni' }] }]) {
      e.setLiveState(junk);
      assert.equal(e.liveState(), undefined, JSON.stringify(junk));
    }
    e.setLiveState({ clusters: [{ kind: 'patroni', name: 'demo', members: [{ name: 'pg1', role: 'master', lagBytes: 'x' }, { role: 'replica' }] }] });
    assert.deepEqual(e.liveState()?.clusters[0].members, [{ name: 'pg1', role: 'unknown', state: '', health: 'unknown' }]);
  });
});
