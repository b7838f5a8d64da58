// The one way every action runs: read, pre-flight, (dry run: stop), confirm, call the system, poll
// until the new state is observed or the deadline passes, and write the audit record whatever happened.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ClusterState, SystemKind } from '../model';
import { mask } from '../secrets';
import type { ActionKind, ActionResult, AuditRecord, AuditSink, Clock, Outcome, Preflight, ProgressReport } from './model';
import { systemClock } from './model';

/** One action on one cluster: how to read it, judge it, change it and recognise the change. */
export interface ActionSpec {
  action: ActionKind;
  kind: SystemKind;
  /** The endpoint, credentials removed. */
  source: string;
  /** Extra arguments worth recording (a scheduled time, a weight); never credentials. */
  options?: Record<string, string | number | boolean>;
  /** The cluster's state now (a provider read). */
  read(signal?: AbortSignal): Promise<ClusterState>;
  preflight(state: ClusterState): Preflight;
  /** Calls the system's API; resolves with its answer in words, rejects with an Error in words. */
  perform(state: ClusterState, preflight: Preflight, signal?: AbortSignal): Promise<string>;
  /** `true` when `after` shows the action done; else what is still awaited, in words. */
  verify(before: ClusterState, after: ClusterState, preflight: Preflight): true | string;
  /** An action that changes nothing to wait for (a scheduled switchover): done once the system accepted it. */
  noWait?: boolean;
}

export interface RunOptions {
  /** Print the pre-flight and change nothing. */
  dryRun?: boolean;
  /** Asked after a passing pre-flight; false cancels. Absent: no confirmation (the caller had one). */
  confirm?(preflight: Preflight): Promise<boolean>;
  /** How long to wait for the new state after the system accepted the action. */
  deadlineMs: number;
  pollMs?: number;
  signal?: AbortSignal;
  progress?: ProgressReport;
  audit?: AuditSink;
  clock?: Clock;
  user?: string;
  via: string;
  /** Masked from every message and record, should a system echo one. */
  secrets?: Array<string | undefined>;
}

/** A pre-flight for a state that could not be read: refused, with the reason. */
export function unreadable(action: ActionKind, state: ClusterState): Preflight {
  return { action, kind: state.kind, cluster: state.name, ok: false, blockers: [`the cluster could not be read: ${state.error}`], warnings: [], candidates: [] };
}

export async function runAction(spec: ActionSpec, o: RunOptions): Promise<ActionResult> {
  const clock = o.clock ?? systemClock;
  const started = clock.now();
  const progress = o.progress ?? (() => undefined);
  const secrets = o.secrets ?? [];
  // The states read before and last: the result carries them.
  const seen: { before?: ClusterState; after?: ClusterState } = {};
  const finish = async (pf: Preflight, outcome: Outcome, message: string): Promise<ActionResult> => {
    const result: ActionResult = { outcome, message: mask(message, secrets), preflight: pf, before: seen.before, after: seen.after, durationMs: clock.now() - started };
    if (o.audit) {
      const record: AuditRecord = {
        at: new Date(clock.now()).toISOString(),
        user: o.user,
        action: spec.action,
        kind: spec.kind,
        cluster: pf.cluster,
        source: spec.source,
        primary: pf.primary,
        target: pf.target,
        options: spec.options,
        preflight: { ok: pf.ok, blockers: pf.blockers, warnings: pf.warnings, target: pf.candidates.find((c) => c.member === pf.target) },
        outcome,
        message: result.message,
        durationMs: result.durationMs,
        via: o.via,
      };
      try {
        await o.audit.write(JSON.parse(mask(JSON.stringify(record), secrets)) as AuditRecord);
      } catch (e) {
        result.message += ` (the audit record could not be written: ${(e as Error).message})`;
      }
    }
    return result;
  };

  progress(`reading ${spec.kind} at ${spec.source}`);
  const before = await spec.read(o.signal);
  seen.before = before;
  const preflight = before.error ? unreadable(spec.action, before) : spec.preflight(before);
  const end = (outcome: Outcome, message: string) => finish(preflight, outcome, message);
  if (o.dryRun) return end('dry-run', preflight.ok ? 'the pre-flight passed; nothing was changed' : `the pre-flight refuses it: ${refusal(preflight)}; nothing was changed`);
  if (!preflight.ok) return end('refused', `refused: ${refusal(preflight)}`);
  if (o.signal?.aborted) return end('cancelled', 'cancelled before anything was changed');
  if (o.confirm && !(await o.confirm(preflight))) return end('cancelled', 'not confirmed; nothing was changed');
  progress(`asking ${spec.kind} to ${spec.action}${preflight.target ? ` (${preflight.target})` : ''}`);
  let answer: string;
  try {
    answer = await spec.perform(before, preflight, o.signal);
  } catch (e) {
    return end('failed', `${spec.kind} refused or failed: ${(e as Error).message}`);
  }
  if (spec.noWait) return end('done', answer);
  const deadline = clock.now() + o.deadlineMs;
  let waiting = 'the new state';
  for (;;) {
    if (o.signal?.aborted) return end('cancelled', `stopped waiting (${answer}); the last state seen: ${waiting}`);
    const state = await spec.read(o.signal);
    if (!state.error) {
      seen.after = state;
      const verdict = spec.verify(before, state, preflight);
      if (verdict === true) return end('done', `${answer}; observed after ${((clock.now() - started) / 1000).toFixed(1)} s`);
      waiting = verdict;
    } else waiting = `the cluster could not be read: ${state.error}`;
    progress(`waiting: ${waiting}`);
    if (clock.now() >= deadline) return end('timeout', `${answer}, but within ${Math.round(o.deadlineMs / 1000)} s the new state was not observed: ${waiting}`);
    await clock.sleep(o.pollMs ?? 500, o.signal);
  }
}

/** The reasons a pre-flight refuses, in one sentence. */
export function refusal(p: Preflight): string {
  const target = p.candidates.find((c) => c.member === p.target);
  const reasons = [...p.blockers, ...(target && !target.safe ? target.reasons.map((r) => `${target.member}: ${r}`) : [])];
  return reasons.length ? reasons.join('; ') : 'no safe candidate';
}

/** Appends each record as one JSON line to `path` (the workspace's `.hatopo/audit.jsonl`), creating its folder. */
export function fileAuditSink(path: string): AuditSink {
  return {
    async write(record) {
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
    },
  };
}
