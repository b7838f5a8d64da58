// Incremental checking of formats split into regions (HAProxy sections, manifest documents): after
// an edit, region-scoped checks run on the changed regions only; unchanged regions' results are reused.
import type { Problem, Region } from '../types';

interface RegionResult {
  /** The region's start when these problems were computed. */
  start: number;
  /** The regions it depended on then: a region whose text is unchanged but whose dependencies are not must be checked again. */
  deps: readonly object[];
  problems: Problem[];
}

const NO_DEPS: readonly object[] = [];

function sameDeps(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** What an analysis keeps of its region-scoped results for the next edit of the document. */
export interface RegionMemory {
  results: Map<object, RegionResult>;
  regions: readonly Region[];
}

/** Index of the region containing `offset` (regions are contiguous and sorted). */
function regionIndex(regions: readonly Region[], offset: number): number {
  let lo = 0;
  let hi = regions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (regions[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Moves a problem computed on the previous text: its own offsets by `delta`, related places through `move`. */
function shifted(p: Problem, delta: number, move: (offset: number) => number): Problem {
  if (delta === 0 && !p.related) return p;
  const moved: Problem = {
    ...p,
    start: p.start + delta,
    end: p.end + delta,
    fixes: p.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })) })),
  };
  if (p.related) {
    moved.related = p.related.map((r) => {
      const start = move(r.start);
      return { ...r, start, end: start + (r.end - r.start) };
    });
  }
  return moved;
}

export interface RegionRun {
  model: unknown;
  regions: readonly Region[];
  /** The previous analysis' results, when the workspace and settings are unchanged since. */
  previous: RegionMemory | undefined;
  /** Runs the region-scoped checks on a model (the whole one, or one restricted to some regions). */
  run(model: unknown): Problem[];
  /** Restricts the model, or gives undefined when that failed (everything is checked then). */
  restrict(keep: Set<object>): unknown;
}

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/** Appends without spreading: a spread of a very large list overflows the stack. */
export function append<T>(out: T[], items: readonly T[]): void {
  for (const item of items) out.push(item);
}

/**
 * Problems of the region-scoped checks, with the memory the next analysis reuses. The work per
 * unchanged region is two map operations, and no allocation when it has no problems.
 */
export function checkRegions(r: RegionRun): { problems: Problem[]; memory: RegionMemory } {
  const { regions } = r;
  const previous = r.previous?.results;
  const was: Array<RegionResult | undefined> = previous ? regions.map((region) => previous.get(region.id)) : [];
  const isChanged = new Uint8Array(regions.length);
  const changed: Region[] = [];
  regions.forEach((region, i) => {
    const deps = region.deps ?? NO_DEPS;
    const before = was[i];
    if (before !== undefined && sameDeps(before.deps, deps) && deps.every((d) => previous!.has(d))) return;
    isChanged[i] = 1;
    changed.push(region);
  });
  const out: Problem[] = [];
  // Only a small change is worth the bookkeeping; otherwise check every region.
  let restricted: unknown;
  if (previous && changed.length * 2 < regions.length) {
    const keep = new Set<object>(changed.map((region) => region.id));
    for (const region of changed) for (const d of region.deps ?? []) keep.add(d);
    restricted = r.restrict(keep);
  }
  const results: RegionResult[] = new Array<RegionResult>(regions.length);
  // Where each previous region now starts, to move related places that point into it (built when one does).
  let move: ((o: number) => number) | undefined;
  const mover = (): ((o: number) => number) => {
    const now = new Map(regions.map((region) => [region.id, region.start]));
    const old = r.previous!.regions;
    return (o) => {
      const before = old[regionIndex(old, o)];
      const start = now.get(before.id);
      return start === undefined ? o : o - before.start + start;
    };
  };
  regions.forEach((region, i) => {
    const before = was[i];
    if (restricted === undefined || isChanged[i] || !before) {
      results[i] = { start: region.start, deps: region.deps ?? NO_DEPS, problems: NO_PROBLEMS as Problem[] };
      return;
    }
    const delta = region.start - before.start;
    if (delta === 0 && before.problems.every((p) => !p.related)) {
      results[i] = before;
    } else {
      results[i] = { start: region.start, deps: before.deps, problems: before.problems.map((p) => shifted(p, delta, (move ??= mover()))) };
    }
    append(out, results[i].problems);
  });
  for (const p of r.run(restricted ?? r.model)) {
    const i = regionIndex(regions, p.start);
    if (restricted !== undefined && !isChanged[i]) continue;
    const result = results[i];
    if (result.problems === NO_PROBLEMS) result.problems = [];
    result.problems.push(p);
    out.push(p);
  }
  const memory = new Map<object, RegionResult>();
  regions.forEach((region, i) => memory.set(region.id, results[i]));
  return { problems: out, memory: { results: memory, regions } };
}
