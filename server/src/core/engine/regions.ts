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

/** Problems of the region-scoped checks, with the memory the next analysis reuses. */
export function checkRegions(r: RegionRun): { problems: Problem[]; memory: RegionMemory } {
  const { regions } = r;
  const previous = r.previous?.results;
  const results = new Map<object, RegionResult>();
  for (const region of regions) results.set(region.id, { start: region.start, deps: region.deps ?? NO_DEPS, problems: [] });
  const clean = (region: Region): boolean => {
    const was = previous?.get(region.id);
    const deps = region.deps ?? NO_DEPS;
    return was !== undefined && sameDeps(was.deps, deps) && deps.every((d) => previous!.has(d));
  };
  const changed = previous ? regions.filter((region) => !clean(region)) : regions;
  const out: Problem[] = [];
  // Only a small change is worth the bookkeeping; otherwise check every region.
  let restricted: { model: unknown; wanted: Set<object> } | undefined;
  if (previous && changed.length * 2 < regions.length) {
    const wanted = new Set(changed.map((region) => region.id));
    const keep = new Set<object>(wanted);
    for (const region of changed) for (const d of region.deps ?? []) keep.add(d);
    const model = r.restrict(keep);
    if (model !== undefined) restricted = { model, wanted };
  }
  if (restricted) {
    // Where each previous region now starts, to move related places that point into it.
    const now = new Map(regions.map((region) => [region.id, region.start]));
    const old = r.previous!.regions;
    const move = (o: number): number => {
      const was = old[regionIndex(old, o)];
      const start = now.get(was.id);
      return start === undefined ? o : o - was.start + start;
    };
    for (const region of regions) {
      if (restricted.wanted.has(region.id)) continue;
      const was = previous!.get(region.id)!;
      const moved = was.problems.map((p) => shifted(p, region.start - was.start, move));
      results.get(region.id)!.problems = moved;
      out.push(...moved);
    }
  }
  for (const p of r.run(restricted?.model ?? r.model)) {
    const region = regions[regionIndex(regions, p.start)];
    if (restricted && !restricted.wanted.has(region.id)) continue;
    results.get(region.id)!.problems.push(p);
    out.push(p);
  }
  return { problems: out, memory: { results, regions } };
}
