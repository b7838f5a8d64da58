// `hatopo switchover | failover | pause | resume | restart | reinit`: one action on one live cluster,
// with the same endpoints and credentials as `hatopo status`. The pre-flight is printed first; nothing
// changes without --yes or a confirmation typed on the terminal; the result is verified by reading
// the cluster again until the new state shows or the deadline passes.
import { createInterface } from 'node:readline/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { prepareAction } from '../../../live/src/actions/connect';
import type { ActionArguments } from '../../../live/src/actions/connect';
import { formatPreflight, formatResult } from '../../../live/src/actions/format';
import type { ActionKind, ActionResult, Preflight } from '../../../live/src/actions/model';
import { fileAuditSink, runAction } from '../../../live/src/actions/run';
import { EndpointError, secretsOf } from '../../../live/src/connect';
import { defaultStateDir } from '../../../live/src/member-memory';
import { ENDPOINT_ENVIRONMENT, ENDPOINT_OPTIONS, endpointSpecs, maskedOutput, timeoutOf } from '../endpoint-options';
import type { Output } from '../output';
import type { CommandSpec, OptionSpecs } from '../usage';
import { UsageError, parseCommand } from '../usage';
import type { Command } from './command';

/** The options every action takes, besides the endpoint's. */
const COMMON = {
  'dry-run': { type: 'boolean', description: 'print the pre-flight and change nothing' },
  yes: { type: 'boolean', short: 'y', description: 'do not ask for confirmation (scripts); the pre-flight still applies' },
  deadline: { type: 'string', placeholder: 'SECONDS', description: 'how long to wait for the new state once the system accepted (default 120)' },
  audit: { type: 'string', placeholder: 'FILE', description: 'append the audit record here (default $HATOPO_STATE_DIR/audit.jsonl;\n\'off\' writes none)' },
  format: { type: 'string', placeholder: 'text|json', description: 'output format (default: text)' },
} as const satisfies OptionSpecs;

const EXIT =
  'Exit status: 0 the new state was observed (or, with --dry-run, the pre-flight passed); 3 refused\n' +
  'by the pre-flight (an unknown or unsafe candidate included); 1 the action failed, was not\n' +
  'confirmed, or the new state was not seen before the deadline; 2 bad usage.';

interface ActionDef {
  name: string;
  summary: string;
  description: string;
  options: OptionSpecs;
  examples: string[];
  /** The action and its arguments from the options; a UsageError when they do not fit. */
  plan(values: Record<string, string | boolean | string[] | undefined>): { action: ActionKind; args: ActionArguments };
  /** The question asked before a change, from the pre-flight. */
  question(p: Preflight): string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Asks on the terminal; true only for "yes" (or the cluster's name when forcing). */
async function ask(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return answer.trim() === expected;
  } finally {
    rl.close();
  }
}

function actionCommand(def: ActionDef): Command {
  const spec = {
    name: def.name,
    summary: def.summary,
    synopsis: '[options] --patroni URL ...',
    description: def.description,
    options: { ...ENDPOINT_OPTIONS, ...def.options, ...COMMON },
    positionals: false,
    epilog: `${EXIT}\n\n${ENDPOINT_ENVIRONMENT}\n\nExamples:\n${def.examples.map((e) => `  ${e}`).join('\n')}`,
  } as const satisfies CommandSpec;

  async function run(args: string[], rawIo: Output): Promise<number> {
    const { values } = parseCommand(spec, args);
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`, def.name);
    const deadline = values.deadline === undefined ? 120 : Number(values.deadline);
    if (!Number.isFinite(deadline) || deadline < 1 || deadline > 3600) throw new UsageError(`--deadline takes seconds from 1 to 3600, not '${values.deadline}'`, def.name);
    const timeoutMs = timeoutOf(values, def.name);
    const endpoints = endpointSpecs(values, def.name);
    if (endpoints.length !== 1) throw new UsageError(`${def.name} acts on one cluster: name exactly one (--patroni URL, …), not ${endpoints.length}`, def.name);
    const { action, args: actionArgs } = def.plan(values as Record<string, string | boolean | string[] | undefined>);
    const secrets = secretsOf(endpoints);
    const io = maskedOutput(rawIo, secrets);
    let prepared;
    try {
      prepared = await prepareAction(endpoints[0], action, { ...actionArgs, timeoutMs });
    } catch (e) {
      if (e instanceof EndpointError) throw new UsageError(e.message, def.name);
      throw e;
    }
    const auditPath = values.audit === 'off' ? undefined : (values.audit ?? (defaultStateDir() ? join(defaultStateDir() as string, 'audit.jsonl') : undefined));
    const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
    const text = format === 'text';
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    let result: ActionResult;
    try {
      result = await runAction(prepared.spec, {
        dryRun: values['dry-run'] === true,
        deadlineMs: deadline * 1000,
        signal: stop.signal,
        via: 'cli',
        user: userInfo().username,
        secrets,
        audit: auditPath ? fileAuditSink(auditPath) : undefined,
        progress: text ? (m) => io.err(`… ${m}\n`) : undefined,
        confirm: async (p) => {
          if (text) io.out(formatPreflight(p));
          const forcing = p.candidates.some((c) => c.member === p.target && c.notes.some((n) => n.startsWith('forced past:')));
          if (forcing) {
            if (!interactive) return values.yes === true;
            return ask(`Forcing it: type the cluster's name (${p.cluster}) to go ahead: `, p.cluster);
          }
          if (values.yes) return true;
          if (!interactive) {
            io.err(`hatopo ${def.name}: not a terminal, and no --yes: nothing was changed\n`);
            return false;
          }
          return ask(`${def.question(p)} Type 'yes' to go ahead: `, 'yes');
        },
      });
    } finally {
      process.removeListener('SIGINT', onSignal);
      await prepared.close();
    }
    // A refused or dry-run pre-flight was not shown by confirm(): show it now.
    if (text && (result.outcome === 'refused' || result.outcome === 'dry-run')) io.out(formatPreflight(result.preflight));
    if (text) io.out(formatResult(result));
    else io.out(`${JSON.stringify({ outcome: result.outcome, message: result.message, durationMs: result.durationMs, preflight: result.preflight, after: result.after }, null, 2)}\n`);
    switch (result.outcome) {
      case 'done':
        return 0;
      case 'dry-run':
        return result.preflight.ok ? 0 : 3;
      case 'refused':
        return 3;
      default:
        return 1;
    }
  }
  return { spec, run };
}

const CANDIDATE = { candidate: { type: 'string', placeholder: 'MEMBER', description: 'the member to promote' } } as const;
const MEMBER = { member: { type: 'string', placeholder: 'MEMBER', description: 'the member to act on' } } as const;
const P = 'hatopo';
const URL = '--patroni http://pg1:8008';

export const switchover = actionCommand({
  name: 'switchover',
  summary: 'hand the leader role to another member, after a pre-flight of every candidate',
  description:
    'A planned change of leader: Patroni demotes the leader and promotes the candidate (or the\n' +
    'member it judges best). Before anything is asked of Patroni, every member is judged as\n' +
    'Patroni will judge it — running and streaming, lag against maximum_lag_on_failover, the\n' +
    'synchronous standby in synchronous mode, nofailover, timeline — and an unsafe candidate is\n' +
    'refused with the reason. Then it waits for the new leader on a new timeline and the old\n' +
    'leader back as a replica. --at schedules it instead; --cancel removes a scheduled one.',
  options: {
    ...CANDIDATE,
    at: { type: 'string', placeholder: 'TIME', description: 'schedule it at this time (ISO 8601 with a zone)' },
    cancel: { type: 'boolean', description: 'cancel the scheduled switchover' },
  },
  examples: [`${P} switchover ${URL} --dry-run`, `PATRONI_RESTAPI_PASSWORD=... ${P} switchover --patroni http://admin@pg1:8008 --candidate pg2 --yes`, `${P} switchover ${URL} --at 2026-12-05T02:00:00+00:00`, `${P} switchover ${URL} --cancel`],
  plan(v) {
    if (v.cancel && (v.at !== undefined || v.candidate !== undefined)) throw new UsageError('--cancel takes no --at or --candidate', 'switchover');
    if (v.cancel) return { action: 'cancel-switchover', args: {} };
    return { action: 'switchover', args: { member: str(v.candidate), scheduledAt: str(v.at) } };
  },
  question: (p) => (p.action === 'cancel-switchover' ? `Cancel the scheduled switchover of ${p.cluster}?` : `Switch over ${p.cluster} from ${p.primary} to ${p.target ?? 'the member Patroni chooses'}?`),
});

export const failover = actionCommand({
  name: 'failover',
  summary: 'make a named member the leader, with or without a leader (Patroni failover)',
  description:
    'For a cluster whose leader is gone (or must go at once): Patroni promotes the candidate.\n' +
    'The candidate is judged first (running, lag against the most advanced member, timeline,\n' +
    'nofailover). On a leaderless cluster a candidate refused only for its lag or timeline can be\n' +
    "forced with --force: the cluster's name must then be typed (or --yes given), as the commits it\n" +
    'lacks are lost.',
  options: { ...CANDIDATE, force: { type: 'boolean', description: 'leaderless cluster: promote the candidate despite its lag or timeline' } },
  examples: [`${P} failover ${URL} --candidate pg2`, `${P} failover ${URL} --candidate pg3 --force`],
  plan: (v) => ({ action: 'failover', args: { member: str(v.candidate), force: v.force === true } }),
  question: (p) => `Fail over ${p.cluster}${p.primary ? ` from ${p.primary}` : ' (no leader now)'} to ${p.target}?`,
});

export const pause = actionCommand({
  name: 'pause',
  summary: 'put a Patroni cluster in maintenance mode (no automatic failover)',
  description: 'Patroni stops acting on the cluster: no failover, no restart of a stopped PostgreSQL,\nuntil `hatopo resume`. For planned work on the hosts or on PostgreSQL itself.',
  options: {},
  examples: [`${P} pause ${URL} --yes`],
  plan: () => ({ action: 'pause', args: {} }),
  question: (p) => `Pause ${p.cluster} (no automatic failover until resumed)?`,
});

export const resume = actionCommand({
  name: 'resume',
  summary: 'end maintenance mode of a Patroni cluster',
  description: 'Patroni takes charge again: it fails over when the leader is lost and starts stopped members.',
  options: {},
  examples: [`${P} resume ${URL} --yes`],
  plan: () => ({ action: 'resume', args: {} }),
  question: (p) => `Resume ${p.cluster}?`,
});

export const restart = actionCommand({
  name: 'restart',
  summary: "restart a member's PostgreSQL, or every member with a pending restart",
  description: "Patroni restarts PostgreSQL on the member (the leader too: writes stop meanwhile; Patroni\ndoes not fail over for it). --pending restarts only members whose settings wait for one.",
  options: { ...MEMBER, pending: { type: 'boolean', description: 'every member with a pending restart' } },
  examples: [`${P} restart ${URL} --member pg3`, `${P} restart ${URL} --pending --yes`],
  plan(v) {
    if (v.member !== undefined && v.pending) throw new UsageError('--member or --pending, not both', 'restart');
    return { action: 'restart', args: { member: str(v.member), pendingOnly: v.pending === true } };
  },
  question: (p) => `Restart PostgreSQL on ${p.target} (${p.cluster})?`,
});

export const reinit = actionCommand({
  name: 'reinit',
  summary: "reinitialise a replica: its data directory copied again from the leader",
  description: "The replica's data directory is removed and cloned again from the leader (Patroni\nreinitialize). For a replica that cannot follow any more (diverged timeline, corrupted files).",
  options: MEMBER,
  examples: [`${P} reinit ${URL} --member pg3`],
  plan: (v) => ({ action: 'reinit', args: { member: str(v.member) } }),
  question: (p) => `Reinitialise ${p.target} of ${p.cluster} (its data directory is deleted and copied again)?`,
});

export const ACTION_COMMANDS: readonly Command[] = [switchover, failover, pause, resume, restart, reinit];
