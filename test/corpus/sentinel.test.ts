import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FileKind } from '../../server/src/core';
import { corpusFiles, corpusSkip, corpusSkipFor, labels, leftOutCount, readCorpus } from '../helpers/corpus';
import { diagnose } from '../helpers/engine';

/**
 * Corpus files whose label we deliberately do not follow, with the reason.
 * The labels come from Redis 7.0.15; the catalog covers Redis 7.0-7.2.
 */
const SKIP: Record<string, string> = {
  'sentinel/redis-redis_7.2.5_redis.conf':
    'Redis 7.0.15 refuses `locale-collate`, a directive added in 7.2; this file is the 7.2.5 sample, and we accept 7.2 directives.',
};

function kindOf(tool: string): FileKind {
  return tool.startsWith('redis-sentinel') ? 'sentinel' : 'redis';
}

/** The 0-based line Redis quoted in its `>>> 'line'` message. */
function quotedLine(text: string, firstErrorLine: string): number {
  const m = /^>>> '(.*)'/.exec(firstErrorLine);
  assert.ok(m, `no quoted line in label: ${firstErrorLine}`);
  const quoted = m[1].replace(/' .*$/, '');
  const index = text.split('\n').findIndex((l) => l.trim() === quoted);
  assert.ok(index >= 0, `line ${quoted} not found`);
  return index;
}

test('sentinel corpus: labels agree with our error diagnostics', { skip: corpusSkip }, () => {
  const all = labels();
  const files = corpusFiles('sentinel');
  assert.ok(files.length >= 13 - leftOutCount('sentinel'), `expected the 13 sentinel corpus files, found ${files.length}`);
  let checked = 0;
  for (const path of files) {
    const label = all.get(path);
    assert.ok(label, `${path} has no label`);
    if (SKIP[path]) continue;
    const kind = kindOf(label.tool);
    const text = readCorpus(path);
    const name = path.split('/').pop()!;
    const diags = diagnose(name, text, { associations: { [name]: kind } });
    const errors = diags.filter((d) => d.severity === 'error');
    if (label.class === 'syntax/semantic error') {
      const line = quotedLine(text, label.firstErrorLine);
      assert.ok(errors.some((d) => d.range.start.line === line), `${path}: expected an error on line ${line + 1} (${label.firstErrorLine}), got ${errors.map((d) => `${d.range.start.line + 1}:${d.code}`).join(', ') || 'none'}`);
    } else {
      // valid, and "environment only" (a missing directory), which a config check cannot see.
      assert.deepEqual(errors.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), [], `${path} (${label.class}) must have no error`);
    }
    checked++;
  }
  assert.equal(checked, files.filter((f) => !SKIP[f]).length);
});

test('sentinel corpus: the skipped file is skipped for the stated reason', { skip: corpusSkipFor('sentinel/redis-redis_7.2.5_redis.conf') }, () => {
  const text = readCorpus('sentinel/redis-redis_7.2.5_redis.conf');
  const errors = diagnose('redis.conf', text).filter((d) => d.severity === 'error');
  assert.deepEqual(errors, [], 'the 7.2.5 sample is clean for a 7.2 catalog');
  assert.match(labels().get('sentinel/redis-redis_7.2.5_redis.conf')?.firstErrorLine ?? '', /locale-collate/);
});
