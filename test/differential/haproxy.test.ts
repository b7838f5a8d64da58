import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { corpusFiles, corpusSkip, labels, readCorpus } from '../helpers/corpus';
import { diagnose } from '../helpers/engine';
import type { Mutant, MutationClass } from './haproxy/mutate';
import { rng } from '../helpers/random';
import { mutate } from './haproxy/mutate';
import { prepare } from './haproxy/prepare';

const HAPROXY = process.env.HAPROXY_BIN ?? 'haproxy';
const MAX_MUTANTS = 400;
/** Every mutant is checked; this only bounds a stuck run, and reaching it fails the test. */
const CAP_MS = 300_000;
const PARALLEL = Math.max(2, Math.min(4, availableParallelism()));
// HATOPO_DIFF_SEED explores other mutants locally; CI uses the fixed seed so results are reproducible.
const SEED = Number(process.env.HATOPO_DIFF_SEED ?? 20_260_226);

interface Verdict {
  accepted: boolean;
  /** 1-based line of the first ALERT that names a line of the file, if any. */
  line?: number;
  alert?: string;
}

function runHaproxy(file: string): Promise<Verdict> {
  return new Promise((resolve) => {
    execFile(HAPROXY, ['-c', '-f', file], { timeout: 10_000 }, (err, stdout, stderr) => {
      const out = `${stdout}\n${stderr}`;
      const alerts = out.split('\n').filter((l) => l.includes('[ALERT]') && !/Error\(s\) found|Fatal errors found/.test(l));
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      // Exit 2 means "no error, but nothing to listen on": the configuration itself is accepted
      // (it may still carry non-fatal alerts such as "'maxconn' already specified. Continuing.").
      const accepted = code === 0 || (code === 2 && /has no error/.test(out));
      const named = alerts.map((a) => ({ a, m: new RegExp(`\\[${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+)\\]`).exec(a) })).find((x) => x.m);
      resolve({ accepted, line: named ? Number(named.m![1]) : undefined, alert: named?.a ?? alerts[0] });
    });
  });
}

/**
 * Corpus files HAProxy accepts (LABELS.tsv) that it rejects once prepared, with the reason; every
 * other accepted file is a base of the mutants, and must still be accepted once prepared.
 */
const NOT_BASES: Record<string, string> = {
  'haproxy/haproxy-haproxy_v1.5.0_examples_acl-content-sw.cfg': "pre-2.1 'clitimeout' and 'block', reported by 2.6 once 'loghost' resolves ('quiet' hides the alert)",
  'haproxy/haproxy-haproxy_v1.5.0_examples_auth.cfg': "prepare() drops 'user'/'group' lines, its userlist's among them, so its ACLs name unknown groups",
  'haproxy/haproxy-haproxy_v1.5.0_examples_ssl.cfg': 'its servers verify TLS by default, and the CA file is dropped with the other missing files',
  'haproxy/harisekhon-haproxy-configs_20-stats.cfg': "prepare() drops 'user'/'group' lines, its userlist's among them, so its ACLs name unknown groups",
};

/** Runs `jobs` with at most `limit` at a time, stopping to launch new ones past the deadline. */
async function pool<T, R>(items: T[], limit: number, deadline: number, job: (t: T) => Promise<R>): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length && Date.now() < deadline) {
      const i = next++;
      results[i] = await job(items[i]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/**
 * HAProxy errors outside what this project models. Each entry says why. A rejected mutant
 * whose first alert matches one of these is excluded from the agreement rate (and listed).
 */
const OUT_OF_SCOPE: { re: RegExp; why: string }[] = [
  { re: /(expects|requires) either 'if' or 'unless'|only accepts 'if' or 'unless'|while parsing '[a-z-]+ [a-z-]+' rule|'(http-request|http-response|http-after-response|tcp-request [a-z]+|tcp-response [a-z]+)' expects|unknown fetch method|missing fetch method|ACL/, why: 'rule actions and sample-fetch / ACL conditions are not modelled' },
  { re: /'(tcp|http)-check [a-z-]+'/, why: 'the arguments of health-check rules are not modelled' },
  { re: /could not resolve address|invalid address|unable to stat|No such file|cannot open/, why: 'addresses and files depend on the environment and on address syntax, which is not modelled' },
  { re: /'usesrc' expects|'source' only supports/, why: 'source address syntax is not modelled' },
  { re: /'stats (maxconn|socket|timeout)'|'stats' only supports/, why: 'the arguments of global stats directives are not modelled' },
  { re: /^log : |unknown log (facility|level)/, why: 'log targets, facilities and levels are not modelled' },
  // With "zero-warning" in global, any start-up warning (which names no line) becomes fatal.
  { re: /'zero-warning' is set/, why: 'warnings made fatal by zero-warning are not all modelled' },
];

function outOfScope(alert: string | undefined): string | undefined {
  if (!alert) return 'HAProxy failed without an alert naming a cause';
  return OUT_OF_SCOPE.find((o) => o.re.test(alert.replace(/^.*?config : (parsing \[[^\]]*\] ?: )?/, '')))?.why;
}

test('differential: HAProxy 2.6 and hatopo agree on mutants of the corpus', { skip: corpusSkip, timeout: CAP_MS + 60_000 }, async () => {
  const v = spawnSync(HAPROXY, ['-v'], { encoding: 'utf8' });
  assert.ok(!v.error && v.status === 0, `haproxy is not installed (or HAPROXY_BIN is wrong): install it (apt-get install haproxy) — CI installs it. ${v.error?.message ?? v.stderr}`);

  const dir = mkdtempSync(join(tmpdir(), 'hatopo-haproxy-diff-'));
  const started = Date.now();
  const deadline = started + CAP_MS;
  try {
    const all = labels();
    const candidates = corpusFiles('haproxy').filter((f) => !NOT_BASES[f] && (['valid', 'environment only (missing file/user/cert/resolve)'].includes(all.get(f)?.class ?? '') || f.includes('seocahill')));
    // The bases are fixed by the labels, not by this run's verdicts: the same mutants every time.
    const bases = candidates.map((f, i) => ({ f, text: prepare(readCorpus(f)), path: join(dir, `base${i}.cfg`) }));
    for (const p of bases) writeFileSync(p.path, p.text);
    const baseVerdicts = await pool(bases, PARALLEL, deadline, (p) => runHaproxy(p.path));
    const refusedBases = bases.flatMap((b, i) => (baseVerdicts[i]?.accepted ? [] : [`${b.f}: ${baseVerdicts[i]?.alert ?? 'not checked within the cap'}`]));
    assert.deepEqual(refusedBases, [], 'haproxy must accept every base once prepared (or list it in NOT_BASES with the reason)');
    assert.ok(bases.length >= 10, `only ${bases.length} bases`);
    for (const b of bases) {
      const errs = diagnose('haproxy.cfg', b.text).filter((d) => d.severity === 'error');
      assert.deepEqual(errs.map((e) => `${b.f}:${e.range.start.line + 1} ${e.code}`), [], 'an accepted base must not get errors from us');
    }

    const r = rng(SEED);
    const per = Math.ceil(MAX_MUTANTS / bases.length);
    const mutants: Mutant[] = bases.flatMap((b) => mutate(b.f, b.text, per, r)).slice(0, MAX_MUTANTS);
    const verdicts = await pool(
      mutants.map((m, i) => ({ m, path: join(dir, `m${i}.cfg`) })),
      PARALLEL,
      deadline,
      async ({ m, path }) => {
        writeFileSync(path, m.text);
        return runHaproxy(path);
      },
    );

    const stats = new Map<MutationClass, { rejected: number; agreed: number; excluded: number; accepted: number; falsePositives: number }>();
    const disagreements: string[] = [];
    const falsePositives: string[] = [];
    const excluded: string[] = [];
    let ran = 0;
    mutants.forEach((m, i) => {
      const verdict = verdicts[i];
      if (!verdict) return;
      ran++;
      const s = stats.get(m.cls) ?? { rejected: 0, agreed: 0, excluded: 0, accepted: 0, falsePositives: 0 };
      stats.set(m.cls, s);
      const errors = diagnose('haproxy.cfg', m.text).filter((d) => d.severity === 'error');
      if (verdict.accepted) {
        s.accepted++;
        if (errors.length > 0) {
          s.falsePositives++;
          falsePositives.push(`${m.base} [${m.cls} line ${m.line + 1}: ${m.what}] we say ${errors.map((e) => `${e.range.start.line + 1}:${e.code} ${e.message}`).join(' | ')}`);
        }
        return;
      }
      s.rejected++;
      const ok = verdict.line !== undefined ? errors.some((e) => e.range.start.line === verdict.line! - 1) : errors.length > 0;
      if (ok) {
        s.agreed++;
        return;
      }
      const why = outOfScope(verdict.alert);
      if (why) {
        s.excluded++;
        excluded.push(`${m.base} [${m.cls}: ${m.what}] ${why}: ${verdict.alert?.replace(/^.*?config : /, '')}`);
        return;
      }
      disagreements.push(`${m.base} [${m.cls} line ${m.line + 1}: ${m.what}] haproxy: ${verdict.alert?.replace(/^.*?config : /, '')} | we: ${errors.map((e) => `${e.range.start.line + 1}:${e.code}`).join(', ') || 'no error'}`);
    });

    const fingerprint = createHash('sha256').update(mutants.map((m) => m.text).join('\0')).digest('hex').slice(0, 12);
    const lines = [`differential: ${bases.length} bases, ${mutants.length} mutants (seed ${SEED}, set ${fingerprint}), ${ran} checked in ${((Date.now() - started) / 1000).toFixed(1)} s, ${PARALLEL} at a time`];
    let rejected = 0;
    let agreed = 0;
    let inScope = 0;
    for (const [cls, s] of stats) {
      rejected += s.rejected;
      agreed += s.agreed;
      inScope += s.rejected - s.excluded;
      lines.push(`  ${cls}: rejected ${s.rejected}, we agree ${s.agreed} (${pct(s.agreed, s.rejected)}), out of scope ${s.excluded}, in-scope agreement ${pct(s.agreed, s.rejected - s.excluded)}; accepted ${s.accepted}, our false errors ${s.falsePositives}`);
    }
    lines.push(`  total: agreement ${agreed}/${rejected} (${pct(agreed, rejected)}), in scope ${agreed}/${inScope} (${pct(agreed, inScope)})`);
    console.log(lines.join('\n'));
    if (excluded.length) console.log(`excluded (out of scope):\n  ${excluded.join('\n  ')}`);

    assert.equal(ran, mutants.length, `only ${ran} of ${mutants.length} mutants were checked within the ${CAP_MS / 1000} s cap`);
    assert.deepEqual(disagreements, [], 'HAProxy rejects these mutants on a line where we report no error');
    assert.deepEqual(falsePositives, [], 'HAProxy accepts these mutants but we report an error');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function pct(a: number, b: number): string {
  return b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`;
}
