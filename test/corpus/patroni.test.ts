import assert from 'node:assert/strict';
import { test } from 'node:test';
import { corpusFiles, corpusLeftOut, corpusSkip, labels, leftOutCount, readCorpus } from '../helpers/corpus';
import { diagnose } from '../helpers/engine';

/** Files of the Patroni versions the schema describes (3.x and HEAD): they must parse and match the schema. */
const CURRENT = ['patroni/zalando-patroni_postgres0.yml', 'patroni/zalando-patroni_postgres1.yml', 'patroni/zalando-patroni_postgres2.yml', 'patroni/zalando-patroni_v3.0.4_postgres0.yml', 'patroni/zalando-patroni_v3.0.4_postgres2.yml', 'patroni/zalando-patroni_v3.1.2_postgres0.yml'];

/**
 * What we flag on older files, and why. v0.90 and v1.0's postgres2.yml use the pre-1.0 layout
 * (name/scope/replication/superuser under `postgresql`, `scope`/`ttl` under `etcd`), which
 * Patroni 3.0.2 also rejects ("name is not defined", missing postgresql.authentication).
 */
const OLD_LAYOUT_EXPECTED: Record<string, string[]> = {
  'patroni/zalando-patroni_v0.90_postgres0.yml': ['patroni/unknown-key', 'patroni/authentication', 'patroni/local-parameter'],
  'patroni/zalando-patroni_v1.0_postgres2.yml': ['patroni/unknown-key', 'patroni/authentication', 'patroni/local-parameter'],
};

const files = corpusFiles('patroni').filter((f) => f.endsWith('.yml') && !f.includes('/related/'));

test('the Patroni corpus is present', { skip: corpusSkip }, () => {
  assert.ok(files.length >= 16 - leftOutCount('patroni'), `expected the 16 Patroni files, found ${files.length}`);
  for (const f of CURRENT) assert.ok(files.includes(f) || corpusLeftOut.has(f), `missing ${f}`);
});

for (const file of files) {
  const label = labels().get(file);
  test(`${file}: parses${CURRENT.includes(file) ? ', matches the schema' : ''}, and flags what Patroni ${label?.exitCode === '0' ? 'accepts' : 'rejects'}`, () => {
    const text = readCorpus(file);
    // Named patroni.yml so detection by name applies to every file (seocahill's name has a prefix).
    const diags = diagnose('patroni.yml', text);
    const codes = new Set(diags.map((d) => d.code));
    assert.ok(!codes.has('patroni/syntax'), `${file}: syntax error`);
    if (CURRENT.includes(file)) {
      const schema = diags.filter((d) => d.code === 'patroni/schema' || d.code === 'patroni/unknown-key');
      assert.deepEqual(schema.map((d) => `${d.range.start.line}: ${d.message}`), [], `${file}: schema problems`);
    }
    if (label?.firstErrorLine.includes('connect_address 127.0.0.1')) {
      // The real validator rejects restapi.connect_address on loopback: we flag that very line.
      const expectedLine = text.split('\n').findIndex((l) => /^\s+connect_address:\s*127\.0\.0\.1/.test(l));
      assert.ok(diags.some((d) => d.code === 'patroni/connect-address-loopback' && d.range.start.line === expectedLine), `${file}: loopback restapi.connect_address on line ${expectedLine} not flagged`);
    }
    const expectedOld = OLD_LAYOUT_EXPECTED[file];
    if (expectedOld) for (const c of expectedOld) assert.ok(codes.has(c), `${file}: expected ${c} for the old layout`);
    // Nothing outside the explained list reaches error severity.
    const allowedErrors = new Set(['patroni/authentication']);
    const errors = diags.filter((d) => d.severity === 'error' && !(expectedOld && allowedErrors.has(d.code)));
    if (file.startsWith('patroni/zalando-patroni_')) assert.deepEqual(errors.map((d) => `${d.range.start.line} ${d.code}`), [], `${file}: unexpected errors`);
  });
}
