import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusFiles, corpusSkip, corpusSkipFor, labels, leftOutCount, readCorpus } from '../helpers/corpus';
import { diagnose } from '../helpers/engine';

/**
 * Files where HAProxy 2.6's verdict and ours differ for a reason outside this project,
 * each with the reason. Everything else must agree with LABELS.tsv.
 */
const SKIP: Record<string, string> = {
  // Debian's HAProxy is built without the WURFL module, so it calls wurfl-* unknown;
  // the keywords are real and documented, and a build with the module accepts them.
  'haproxy/haproxy-haproxy_examples_wurfl-example.cfg': 'WURFL keywords need a build option absent from the Debian package',
  // The 2.6 parser rejects the "mptcp@" address prefix (3.1+). Address syntax is not modelled.
  'haproxy/haproxy-haproxy_examples_mptcp.cfg': 'bind address prefixes are not modelled',
};

const ERROR_LINE = /\[[^\]]*?:(\d+)\]/;

test('HAProxy corpus: valid files get no error, rejected files get an error on the line HAProxy named', { skip: corpusSkip }, () => {
  const files = corpusFiles('haproxy');
  assert.ok(files.length >= 30 - leftOutCount('haproxy'), `expected the HAProxy corpus, found ${files.length} files`);
  const all = labels();
  const failures: string[] = [];
  let compared = 0;
  for (const rel of files) {
    const label = all.get(rel);
    assert.ok(label, `${rel} has no row in LABELS.tsv`);
    const diags = diagnose('haproxy.cfg', readCorpus(rel));
    const errors = diags.filter((d) => d.severity === 'error');
    if (SKIP[rel]) continue;
    if (label.class === 'valid') {
      compared++;
      if (errors.length > 0) failures.push(`${rel}: HAProxy accepts it but we report ${errors.map((e) => `${e.range.start.line + 1}:${e.code} ${e.message}`).join('; ')}`);
    } else if (label.class === 'syntax/semantic error') {
      compared++;
      const m = ERROR_LINE.exec(label.firstErrorLine);
      assert.ok(m, `${rel}: cannot read the line from ${label.firstErrorLine}`);
      const line = Number(m[1]) - 1;
      if (!errors.some((e) => e.range.start.line === line)) {
        failures.push(`${rel}: HAProxy rejects line ${line + 1} (${label.firstErrorLine}) but we report no error there; ours: ${errors.map((e) => `${e.range.start.line + 1}:${e.code}`).join(', ') || 'none'}`);
      }
    }
    // "environment only" files failed on a missing certificate or an unresolvable host, which
    // a static check cannot know; they are still parsed above, so a crash would fail the test.
  }
  assert.ok(compared >= 20 - leftOutCount('haproxy'), `compared only ${compared} files`);
  assert.deepEqual(failures, []);
});

test('HAProxy corpus: the Patroni examples carry no HA warning that the Patroni project would disagree with', { skip: corpusSkipFor('haproxy/zalando-patroni_haproxy.cfg') }, () => {
  const diags = diagnose('haproxy.cfg', readCorpus('haproxy/zalando-patroni_haproxy.cfg'));
  const ha = diags.filter((d) => ['haproxy/missing-check', 'haproxy/patroni-tcp-check', 'haproxy/shutdown-sessions', 'haproxy/check-role-mismatch', 'haproxy/slow-detection'].includes(d.code));
  assert.deepEqual(ha.map((d) => d.code), []);
  const info = diags.find((d) => d.code === 'haproxy/detection-time');
  assert.ok(info, 'the detection time of the Patroni listener is shown');
  assert.match(info.message, /9 s/);
});

test('HAProxy corpus: with the version set to 3.2, HAProxy\'s own current examples get no error', { skip: corpusSkip }, () => {
  const files = corpusFiles('haproxy').filter((f) => f.startsWith('haproxy/haproxy-haproxy_examples_'));
  assert.ok(files.length >= 10, `found ${files.length} current examples`);
  const failures: string[] = [];
  for (const rel of files) {
    const errors = diagnose('haproxy.cfg', readCorpus(rel), { haproxy: { version: '3.2' } }).filter((d) => d.severity === 'error');
    for (const e of errors) failures.push(`${rel}:${e.range.start.line + 1} ${e.code} ${e.message}`);
  }
  assert.deepEqual(failures, []);
});
