import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { corpusFiles, corpusSkip, labels, readCorpus } from '../helpers/corpus';
import { diagnose } from '../helpers/engine';
import type { Mutant } from './sentinel/mutants';
import { rng as prng } from '../helpers/random';
import { mutate } from './sentinel/mutants';
import type { Verdict } from './sentinel/oracle';
import { REDIS_SENTINEL, REDIS_SERVER, binariesPresent, runOracle } from './sentinel/oracle';

const SEED = Number(process.env.HATOPO_DIFF_SEED ?? 20240611);
const MAX_MUTANTS = 200;
/** Every mutant is run; this only bounds a stuck run, and reaching it fails the test. */
const CAP_MS = 240_000;
const PARALLEL = 2;

/**
 * Refusals we do not predict, each with the reason. Matched on Redis's message.
 * They depend on the machine, not on the file: a config check cannot see them.
 */
const OUT_OF_SCOPE: { message: RegExp; reason: string }[] = [
  { message: /No such file or directory|Permission denied|Can't open the log file/, reason: 'depends on the file system of the machine that runs Redis' },
  { message: /script seems non existing or non executable/, reason: 'notification/reconfig scripts are checked on the machine that runs Sentinel' },
  { message: /No such command in rename-command|Target command name already exists/, reason: 'needs the command table of the exact Redis build' },
];

/** Corpus files the real programs accept as they are: the bases of the mutants. */
function bases(): { path: string; kind: 'sentinel' | 'redis'; text: string }[] {
  const all = labels();
  return corpusFiles('sentinel')
    .filter((p) => all.get(p)?.class === 'valid')
    .map((p) => ({ path: p, kind: all.get(p)!.tool.startsWith('redis-sentinel') ? ('sentinel' as const) : ('redis' as const), text: readCorpus(p) }));
}

function makeMutants(): Mutant[] {
  const random = prng(SEED);
  const files = bases();
  const out: Mutant[] = [];
  const seen = new Set<string>();
  for (let attempts = 0; out.length < MAX_MUTANTS && attempts < MAX_MUTANTS * 20; attempts++) {
    const f = files[attempts % files.length];
    const m = mutate(f.path, f.kind, f.text, random);
    if (m && !seen.has(m.text)) {
      seen.add(m.text);
      out.push(m);
    }
  }
  return out;
}

test('differential: Redis 7.0 and our diagnostics agree on seeded mutants of the corpus', { skip: corpusSkip, timeout: CAP_MS + 30_000 }, async () => {
  assert.ok(binariesPresent(), `${REDIS_SERVER} and ${REDIS_SENTINEL} are required for this suite: install the redis-server and redis-sentinel packages (CI does), or set REDIS_SERVER_BIN and REDIS_SENTINEL_BIN`);
  const mutants = makeMutants();
  assert.ok(mutants.length > 50, `only ${mutants.length} mutants generated`);
  const verdicts: (Verdict | undefined)[] = new Array(mutants.length);
  const started = Date.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < mutants.length && Date.now() - started < CAP_MS) {
      const i = next++;
      verdicts[i] = await runOracle(mutants[i].kind, mutants[i].text);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, () => worker()));

  let refused = 0;
  let agreed = 0;
  let excluded = 0;
  let accepted = 0;
  let other = 0;
  const misses: string[] = [];
  const falsePositives: string[] = [];
  mutants.forEach((m, i) => {
    const v = verdicts[i];
    if (!v) return;
    const name = m.kind === 'sentinel' ? 'sentinel.conf' : 'redis.conf';
    const errors = diagnose(name, m.text, { associations: { [name]: m.kind } }).filter((d) => d.severity === 'error');
    const where = `${m.base} [${m.operator} line ${m.line}]`;
    if (v.kind === 'other') {
      other++;
      console.log(`  other: ${where}: ${v.detail}`);
    } else if (v.kind === 'accepted') {
      accepted++;
      if (errors.length) falsePositives.push(`${where}: Redis accepts, we say ${errors.map((d) => `${d.range.start.line + 1}:${d.code} ${d.message}`).join('; ')}`);
    } else {
      refused++;
      if (OUT_OF_SCOPE.some((x) => x.message.test(v.message))) {
        excluded++;
        return;
      }
      if (errors.some((d) => d.range.start.line === v.line - 1)) agreed++;
      else misses.push(`${where}: Redis refuses line ${v.line} '${v.quoted}' (${v.message}); we say ${errors.map((d) => `${d.range.start.line + 1}:${d.code}`).join(', ') || 'nothing'}`);
    }
  });
  const ran = verdicts.filter(Boolean).length;
  const inScope = refused - excluded;
  const fingerprint = createHash('sha256').update(mutants.map((m) => m.text).join('\0')).digest('hex').slice(0, 12);
  console.log(`mutants: ${mutants.length} generated (seed ${SEED}, set ${fingerprint}), ${ran} run in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
    `Redis refused ${refused} (${excluded} out of scope), accepted ${accepted}, other ${other}`);
  console.log(`agreement on refused mutants: ${agreed}/${inScope} (${inScope ? ((100 * agreed) / inScope).toFixed(1) : '100'}%); ` +
    `error false positives on accepted mutants: ${falsePositives.length}/${accepted}`);
  for (const x of misses) console.log(`  MISS ${x}`);
  for (const x of falsePositives) console.log(`  FALSE POSITIVE ${x}`);
  assert.equal(ran, mutants.length, `only ${ran} of ${mutants.length} mutants were run within the ${CAP_MS / 1000} s cap`);
  assert.equal(other, 0, 'some runs ended without a verdict (see the log)');
  assert.deepEqual(misses, []);
  assert.deepEqual(falsePositives, []);
});
