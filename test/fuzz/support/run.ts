import { basename, relative } from 'node:path';
import fc from 'fast-check';
import { REPO } from '../../helpers/lsp-client';

/**
 * How the fuzz properties run. In CI: a fixed seed and few runs per property. Longer:
 * `HATOPO_FUZZ_RUNS=<factor>` multiplies every property's runs, `HATOPO_FUZZ_SEED=<n>` (or `random`,
 * which test/run.mjs turns into a number it prints) changes the seed. A failure prints the command
 * that replays it: the same seed and fast-check's path to the shrunk counterexample.
 */

const DEFAULT_SEED = 20260601;

function envSeed(): number {
  const raw = process.env.HATOPO_FUZZ_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  // `random` is resolved by test/run.mjs; a file run on its own draws here (and prints it on failure).
  if (raw === 'random') return Math.floor(Math.random() * 0x7fffffff);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`HATOPO_FUZZ_SEED: expected an integer, got ${JSON.stringify(raw)}`);
  return n;
}

export const BASE_SEED = envSeed();
export const RUNS_FACTOR = Math.max(0.01, Number(process.env.HATOPO_FUZZ_RUNS) || 1);
const REPLAY_PATH = process.env.HATOPO_FUZZ_PATH || undefined;

/** A property's own seed: the base seed mixed with its name, so one base seed replays every property. */
export function seedOf(name: string): number {
  let h = BASE_SEED >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x9e3779b1) >>> 0;
  return h | 0;
}

/** How many runs a property whose CI count is `ci` gets now. */
export function runsOf(ci: number): number {
  return Math.max(1, Math.round(ci * RUNS_FACTOR));
}

interface Context {
  name: string;
  diagnostic(message: string): void;
}

/**
 * Checks a property with the suite's seed and run count; `file` is the test file (`__filename`).
 * On failure, throws fast-check's report (counterexample, seed, path) and the replay command.
 */
export async function fuzz<Ts>(t: Context, file: string, property: fc.IRawProperty<Ts>, ciRuns: number, params: fc.Parameters<Ts> = {}): Promise<void> {
  const seed = seedOf(t.name);
  const numRuns = runsOf(ciRuns);
  const started = Date.now();
  const details = await fc.check(property, { ...params, seed, numRuns, path: REPLAY_PATH, verbose: fc.VerbosityLevel.None });
  t.diagnostic(`${details.numRuns} runs in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${BASE_SEED}/${seed}${REPLAY_PATH ? `, path ${REPLAY_PATH}` : ''})`);
  if (!details.failed) return;
  const report = fc.defaultReportMessage(details) ?? 'property failed';
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const pattern = `^${t.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
  const replay = [
    `HATOPO_FUZZ_SEED=${BASE_SEED}`,
    details.counterexamplePath ? `HATOPO_FUZZ_PATH='${details.counterexamplePath}'` : '',
    `node --import tsx --test --test-name-pattern='${pattern}' ${relative(REPO, file) || basename(file)}`,
  ]
    .filter(Boolean)
    .join(' ');
  throw new Error(`${cause}\n\n${report}\n\nReplay this failure (after npm run build for the LSP properties):\n  ${replay}`);
}
