import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Outcome } from '../differential/yaml/kubectl-compare';
import { compareEach } from '../differential/yaml/kubectl-compare';
import { findKubectl } from '../differential/yaml/kubectl-oracle';
import { compare, newTally } from '../differential/yaml/pyyaml-compare';
import type { PyDocument } from '../differential/yaml/pyyaml-oracle';
import { findPython, loadWithPyYaml } from '../differential/yaml/pyyaml-oracle';
import { knownDifference } from './support/known-differences';
import { RUNS_FACTOR, fuzz, runsOf, seedOf } from './support/run';
import { oracleManifest, oraclePatroni } from './support/yaml';

/*
 * Random YAML read by the engine and by the programs that read the real files: PyYAML's safe loader
 * (Patroni) and kubectl (manifests). Block and flow collections mixed, odd indentation, every scalar
 * style, tricky scalars, anchors, aliases, merge keys, tags and comments: both read the same values,
 * or both refuse. Starting a program per document would be slow: the documents of every run are
 * drawn beforehand (the same seed gives the same ones) and read in one Python process and one
 * kubectl run; only shrinking a failure reads its smaller documents one at a time.
 */

/** Runs and shrinking together; reaching it fails the test (a stuck oracle, or a shrink that takes too long). */
const timeLimit = () => fc.interruptAfterTimeLimit(240_000 * RUNS_FACTOR, { failOnInterrupt: true });

interface Oracle<R> {
  /** Reads texts with the real program, in one run. */
  read(texts: string[]): R[];
  /** Why the engine's reading of `text` differs from the program's, or undefined when they agree. */
  differs(text: string, read: R): string | undefined;
}

async function agree<R>(t: { name: string; diagnostic(m: string): void }, documents: fc.Arbitrary<string>, oracle: Oracle<R>, ciRuns: number): Promise<number> {
  const cache = new Map<string, R>();
  // Differences explained in support/known-differences.ts, counted apart.
  const knownCounts = new Map<string, number>();
  const readAll = (texts: string[]) => {
    const fresh = [...new Set(texts.filter((x) => !cache.has(x)))];
    if (fresh.length > 0) oracle.read(fresh).forEach((r, i) => cache.set(fresh[i], r));
    return texts.map((x) => cache.get(x)!);
  };
  const property = fc.property(documents, (text) => {
    const why = oracle.differs(text, readAll([text])[0]);
    const known = why === undefined ? undefined : knownDifference(text, why);
    if (known) {
      knownCounts.set(known.reason, (knownCounts.get(known.reason) ?? 0) + 1);
      return;
    }
    assert.equal(why, undefined, why);
  });
  const texts = fc.sample(property, { seed: seedOf(t.name), numRuns: runsOf(ciRuns) }).map(([text]) => text);
  readAll(texts);
  await fuzz(t, __filename, property, ciRuns, { plugins: [timeLimit()] });
  for (const [reason, n] of knownCounts) t.diagnostic(`known difference (${n}×): ${reason}`);
  return texts.length;
}

test('PyYAML and the engine read random Patroni-like YAML alike', async (t) => {
  const found = findPython();
  assert.ok(!('missing' in found), 'missing' in found ? found.missing : '');
  const tally = newTally();
  const oracle: Oracle<PyDocument[]> = {
    read: (texts) => loadWithPyYaml(found.python, texts).results,
    differs(text, read) {
      const one = newTally();
      compare('document', text, read, one);
      tally.documents += one.documents;
      tally.agree += one.agree;
      tally.refusedByBoth += one.refusedByBoth;
      return one.disagreements[0];
    },
  };
  const n = await agree(t, oraclePatroni, oracle, 500);
  t.diagnostic(`PyYAML ${found.version}: ${n} texts, ${tally.documents} documents, ${tally.agree} read the same, ${tally.refusedByBoth} refused by both`);
});

test('kubectl and the engine read random manifests alike', async (t) => {
  const found = findKubectl();
  assert.ok(!('missing' in found), 'missing' in found ? found.missing : '');
  const seen = { agree: 0, refusedByBoth: 0, skipped: 0 };
  // kubectl's output is attributed to the documents by how many objects each should print; when that
  // fails for a batch, halves of it are read again until the document kubectl read otherwise stands alone.
  const read = (texts: string[]): Outcome[] => {
    try {
      return compareEach(found.kubectl, texts.map((text, i) => ({ label: `document ${i}`, text })));
    } catch (e) {
      if (texts.length === 1) return [{ differ: `${e instanceof Error ? e.message : String(e)}\n${texts[0]}` }];
      const half = texts.length >> 1;
      return [...read(texts.slice(0, half)), ...read(texts.slice(half))];
    }
  };
  const oracle: Oracle<Outcome> = {
    read,
    differs(_text, o) {
      if ('agree' in o) seen.agree++;
      else if ('refusedByBoth' in o) seen.refusedByBoth++;
      else if ('skipped' in o) seen.skipped++;
      return 'differ' in o ? o.differ : undefined;
    },
  };
  const n = await agree(t, oracleManifest, oracle, 500);
  t.diagnostic(`kubectl ${found.version}: ${n} documents, ${seen.agree} read the same, ${seen.refusedByBoth} refused by both, ${seen.skipped} out of scope`);
});
