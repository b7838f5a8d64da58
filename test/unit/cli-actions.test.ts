// The action commands' command line (the built CLI): each command refuses the clusters it does not
// act on and the arguments that do not fit, with exit 2 and a message naming the fix, before any
// connection is made; an endpoint that refuses gives a refused pre-flight (exit 3), never a change.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

const CLI = resolve(__dirname, '..', '..', 'dist', 'hatopo.js');
const skip = !existsSync(CLI) && 'dist/hatopo.js is not built';

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', HATOPO_STATE_DIR: 'off' }, timeout: 20_000, input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('every action command is listed in the help, with its own help', { skip }, () => {
  const help = run('--help').out;
  for (const c of ['switchover', 'failover', 'pause', 'resume', 'restart', 'reinit', 'promote', 'fence', 'unfence', 'reset', 'drain', 'maint', 'ready', 'weight']) {
    assert.match(help, new RegExp(`hatopo ${c} \\[options\\]`), c);
    const own = run(c, '--help');
    assert.equal(own.code, 0, c);
    assert.match(own.out, /--dry-run/);
    assert.match(own.out, /Exit status: 0 the new state was observed/);
  }
});

test('bad usage: exit 2 with the fix, nothing contacted', { skip }, () => {
  const cases: Array<[string[], RegExp]> = [
    [['switchover'], /no cluster given: --patroni URL/],
    [['switchover', '--patroni', 'http://127.0.0.1:1', '--patroni', 'http://127.0.0.1:2'], /acts on one cluster: name exactly one .*not 2/],
    [['drain', '--patroni', 'http://127.0.0.1:1', '--server', 'b/s'], /drain acts on HAProxy, not on a patroni cluster/],
    [['pause', '--sentinel', 'redis://127.0.0.1:1', '--master', 'm'], /pause acts on Patroni clusters and Zalando operator clusters, not on a sentinel cluster/],
    [['reinit', '--haproxy', 'tcp://127.0.0.1:1', '--member', 'a'], /reinit acts on Patroni and Zalando clusters, not on a haproxy cluster/],
    [['restart', '--kube-context', 'nowhere', '--cluster', 'db/x', '--member', 'a', '--pending'], /--member or --pending, not both/],
    [['weight', '--haproxy', 'tcp://127.0.0.1:1', '--server', 'b/s', '--weight', '300'], /--weight takes 0 to 256, not '300'/],
    [['weight', '--haproxy', 'tcp://127.0.0.1:1', '--server', 'b/s'], /--weight takes 0 to 256/],
    [['drain', '--haproxy', 'tcp://127.0.0.1:1'], /drain acts on one server: --server BACKEND\/SERVER/],
    [['failover', '--sentinel', 'redis://127.0.0.1:1'], /a failover acts on one master: --master NAME/],
    [['promote', '--postgres', 'host=127.0.0.1 port=1'], /promote needs the standby to promote: --candidate HOST:PORT/],
    [['switchover', '--patroni', 'http://127.0.0.1:1', '--cancel', '--candidate', 'pg2'], /--cancel takes no --at or --candidate/],
    [['restart', '--patroni', 'http://127.0.0.1:1', '--member', 'a', '--pending'], /--member or --pending, not both/],
    [['switchover', '--patroni', 'http://127.0.0.1:1', '--cluster', 'ns/x'], /--cluster goes with --kube-context/],
    [['switchover', '--patroni', 'http://127.0.0.1:1', '--deadline', '0'], /--deadline takes seconds from 1 to 3600/],
  ];
  for (const [args, message] of cases) {
    const r = run(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}${r.out}`);
    assert.match(r.err, message, args.join(' '));
  }
});

test('a cluster that cannot be read: the pre-flight refuses (exit 3) and says why, the password masked', { skip }, () => {
  const r = run('switchover', '--patroni', 'http://admin:pw-Secret-9@127.0.0.1:1', '--yes');
  assert.equal(r.code, 3, r.err + r.out);
  assert.match(r.out, /pre-flight: REFUSED/);
  assert.match(r.out, /the cluster could not be read: connection refused 127\.0\.0\.1:1/);
  assert.ok(!(r.out + r.err).includes('pw-Secret-9'));
  const json = run('drain', '--haproxy', 'tcp://127.0.0.1:1', '--server', 'b/s', '--yes', '--format', 'json');
  assert.equal(json.code, 3);
  assert.equal((JSON.parse(json.out) as { outcome: string }).outcome, 'refused');
});
