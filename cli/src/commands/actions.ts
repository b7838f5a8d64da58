// `hatopo switchover | failover | pause | resume | restart | reinit | promote | fence | unfence | reset |
// drain | maint | ready | weight`: one action on one live cluster,
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
import type { SystemKind } from '../../../live/src/model';
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
  cluster: { type: 'string', placeholder: 'NS/NAME', description: 'with --kube-context: the operator cluster to act on' },
} as const satisfies OptionSpecs;

const EXIT =
  'Exit status: 0 the new state was observed (or, with --dry-run, the pre-flight passed); 3 refused\n' +
  'by the pre-flight (an unknown or unsafe candidate included); 1 the action failed, was not\n' +
  'confirmed, or the new state was not seen before the deadline; 2 bad usage.';

interface ActionDef {
  name: string;
  summary: string;
  /** The endpoint options it takes, as its usage line shows them. */
  synopsis: string;
  description: string;
  options: OptionSpecs;
  examples: string[];
  /** The action and its arguments from the options and the kind of cluster named; a UsageError when they do not fit. */
  plan(values: Values, kind: SystemKind): { action: ActionKind; args: ActionArguments };
  /** The question asked before a change, from the pre-flight. */
  question(p: Preflight): string;
}

type Values = Record<string, string | boolean | string[] | undefined>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The usage error for a command given a kind of cluster it does not act on. */
function notFor(command: string, kind: SystemKind, kinds: string): never {
  throw new UsageError(`${command} acts on ${kinds}, not on a ${kind} cluster`, command);
}

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
    synopsis: def.synopsis,
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
    const planned = def.plan(values as Values, endpoints[0].kind);
    const { action } = planned;
    const actionArgs: ActionArguments = { ...planned.args, ...(values.cluster !== undefined ? { cluster: values.cluster } : {}) };
    if (values.cluster !== undefined && endpoints[0].kind !== 'kubernetes') throw new UsageError('--cluster goes with --kube-context', def.name);
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
    // A plain PostgreSQL promotion is one step of a runbook: where each step stands now.
    if (text && result.preflight.kind === 'postgres' && result.before && result.preflight.target) {
      const { runbook } = await import('../../../live/src/actions/postgres');
      io.out(`runbook:\n${runbook(result.before, result.after ?? result.before, result.preflight.target).map((st) => `  [${st.status}] ${st.title}: ${st.detail}`).join('\n')}\n`);
    }
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
const SERVER = { server: { type: 'string', placeholder: 'BACKEND/SERVER', description: 'the HAProxy server to act on' } } as const;
const P = 'hatopo';
const URL = '--patroni http://pg1:8008';
const KUBE = '--kube-context prod --cluster db/pg-main';
const ZALANDO = '--kube-context prod --cluster db/acid-main';

export const switchover = actionCommand({
  name: 'switchover',
  summary: 'hand the leader role to another member, after a pre-flight of every candidate',
  synopsis: '[options] --patroni URL | --kube-context NAME --cluster NS/NAME',
  description:
    'A planned change of leader: Patroni demotes the leader and promotes the candidate (or the\n' +
    'member it judges best). Before anything is asked of Patroni, every member is judged as\n' +
    'Patroni will judge it — running and streaming, lag against maximum_lag_on_failover, the\n' +
    'synchronous standby in synchronous mode, nofailover, timeline — and an unsafe candidate is\n' +
    'refused with the reason. Then it waits for the new leader on a new timeline and the old\n' +
    'leader back as a replica. --at schedules it instead; --cancel removes a scheduled one.\n' +
    'A Crunchy PostgresCluster (--kube-context, --cluster) is switched over through its\n' +
    'spec.patroni.switchover and the trigger annotation, as its documentation says; a Zalando\n' +
    "cluster through Patroni's REST API on its pods, by way of the API server's pod proxy.",
  options: {
    ...CANDIDATE,
    at: { type: 'string', placeholder: 'TIME', description: 'schedule it at this time (ISO 8601 with a zone)' },
    cancel: { type: 'boolean', description: 'cancel the scheduled switchover' },
  },
  examples: [
    `${P} switchover ${URL} --dry-run`,
    `PATRONI_RESTAPI_PASSWORD=... ${P} switchover --patroni http://admin@pg1:8008 --candidate pg2 --yes`,
    `${P} switchover ${URL} --at 2026-12-05T02:00:00+00:00`,
    `${P} switchover ${URL} --cancel`,
    `${P} switchover ${KUBE} --candidate pg-main-instance1-abcd`,
    `${P} switchover ${ZALANDO} --candidate acid-main-1`,
  ],
  plan(v, kind) {
    if (kind === 'kubernetes') {
      if (v.cancel || v.at !== undefined) throw new UsageError('--at and --cancel are for Patroni clusters', 'switchover');
      return { action: 'switchover', args: { member: str(v.candidate) } };
    }
    if (kind !== 'patroni') notFor('switchover', kind, 'Patroni clusters and Crunchy and Zalando operator clusters');
    if (v.cancel && (v.at !== undefined || v.candidate !== undefined)) throw new UsageError('--cancel takes no --at or --candidate', 'switchover');
    if (v.cancel) return { action: 'cancel-switchover', args: {} };
    return { action: 'switchover', args: { member: str(v.candidate), scheduledAt: str(v.at) } };
  },
  question: (p) => (p.action === 'cancel-switchover' ? `Cancel the scheduled switchover of ${p.cluster}?` : `Switch over ${p.cluster} from ${p.primary} to ${p.target ?? 'the member the system chooses'}?`),
});

export const failover = actionCommand({
  name: 'failover',
  summary: 'make a member the leader now: Patroni failover, Sentinel failover',
  synopsis: '[options] --patroni URL --candidate M | --sentinel URL --master NAME | --kube-context ...',
  description:
    'For a cluster whose leader is gone (or must go at once). Patroni promotes the candidate,\n' +
    'judged first (running, lag against the most advanced member, timeline, nofailover); on a\n' +
    'leaderless cluster a candidate refused only for its lag or timeline can be forced with\n' +
    "--force: the cluster's name must then be typed (or --yes given), as the commits it lacks\n" +
    'are lost. Redis Sentinel (--sentinel, --master) is asked SENTINEL FAILOVER after its quorum\n' +
    '(CKQUORUM) and every replica are checked; Sentinel picks the replica itself. A Crunchy\n' +
    "PostgresCluster gets a Failover-type switchover; a Zalando cluster Patroni's failover\n" +
    "through the API server's pod proxy.",
  options: { ...CANDIDATE, force: { type: 'boolean', description: 'leaderless Patroni cluster: promote the candidate despite its lag or timeline' } },
  examples: [`${P} failover ${URL} --candidate pg2`, `${P} failover ${URL} --candidate pg3 --force`, `REDISCLI_AUTH=... ${P} failover --sentinel redis://10.0.0.5:26379 --master mymaster`],
  plan(v, kind) {
    if (kind === 'sentinel') return { action: 'sentinel-failover', args: { member: str(v.candidate) } };
    if (kind === 'kubernetes') return { action: 'failover', args: { member: str(v.candidate), force: v.force === true } };
    if (kind !== 'patroni') notFor('failover', kind, 'Patroni, Sentinel, Crunchy and Zalando clusters');
    return { action: 'failover', args: { member: str(v.candidate), force: v.force === true } };
  },
  question: (p) => `Fail over ${p.cluster}${p.primary ? ` from ${p.primary}` : ' (no leader now)'} to ${p.target ?? 'the replica the system picks'}?`,
});

const patroniOnly = (name: string, action: ActionKind) => (_v: Values, kind: SystemKind) => (kind === 'patroni' || kind === 'kubernetes' ? { action, args: {} } : notFor(name, kind, 'Patroni clusters and Zalando operator clusters'));

export const pause = actionCommand({
  name: 'pause',
  summary: 'put a Patroni cluster in maintenance mode (no automatic failover)',
  synopsis: '[options] --patroni URL | --kube-context NAME --cluster NS/NAME',
  description: 'Patroni stops acting on the cluster: no failover, no restart of a stopped PostgreSQL,\nuntil `hatopo resume`. For planned work on the hosts or on PostgreSQL itself. A Zalando\ncluster is paused through the pod proxy.',
  options: {},
  examples: [`${P} pause ${URL} --yes`, `${P} pause ${ZALANDO} --yes`],
  plan: patroniOnly('pause', 'pause'),
  question: (p) => `Pause ${p.cluster} (no automatic failover until resumed)?`,
});

export const resume = actionCommand({
  name: 'resume',
  summary: 'end maintenance mode of a Patroni cluster',
  synopsis: '[options] --patroni URL | --kube-context NAME --cluster NS/NAME',
  description: 'Patroni takes charge again: it fails over when the leader is lost and starts stopped members.',
  options: {},
  examples: [`${P} resume ${URL} --yes`],
  plan: patroniOnly('resume', 'resume'),
  question: (p) => `Resume ${p.cluster}?`,
});

export const restart = actionCommand({
  name: 'restart',
  summary: "restart a member's PostgreSQL, members with a pending restart, or a CloudNativePG cluster",
  synopsis: '[options] --patroni URL --member M | --pending | --kube-context NAME --cluster NS/NAME [--member POD | --pending]',
  description:
    "Patroni restarts PostgreSQL on the member (the leader too: writes stop meanwhile; Patroni\n" +
    'does not fail over for it). --pending restarts only members whose settings wait for one.\n' +
    'A CloudNativePG cluster is given a rolling restart (kubectl cnpg restart), refused when a\n' +
    'PodDisruptionBudget allows no disruption. A Zalando pod is restarted by its Patroni, as\n' +
    'with --patroni, through the pod proxy.',
  options: { ...MEMBER, pending: { type: 'boolean', description: 'every member with a pending restart' } },
  examples: [`${P} restart ${URL} --member pg3`, `${P} restart ${URL} --pending --yes`, `${P} restart ${KUBE}`, `${P} restart ${ZALANDO} --member acid-main-1`],
  plan(v, kind) {
    if (kind !== 'patroni' && kind !== 'kubernetes') notFor('restart', kind, 'Patroni, CloudNativePG and Zalando clusters');
    if (v.member !== undefined && v.pending) throw new UsageError('--member or --pending, not both', 'restart');
    return { action: 'restart', args: { member: str(v.member), pendingOnly: v.pending === true } };
  },
  question: (p) => `Restart ${p.target ?? 'the members'} of ${p.cluster}?`,
});

export const reinit = actionCommand({
  name: 'reinit',
  summary: 'reinitialise a replica: its data directory copied again from the leader',
  synopsis: '[options] --patroni URL --member M | --kube-context NAME --cluster NS/NAME --member POD',
  description:
    "The replica's data directory is removed and cloned again from the leader (Patroni\nreinitialize). For a replica that cannot follow any more (diverged timeline, corrupted files).\n" +
    'A Zalando pod is reinitialised by its Patroni through the pod proxy.',
  options: MEMBER,
  examples: [`${P} reinit ${URL} --member pg3`, `${P} reinit ${ZALANDO} --member acid-main-1`],
  plan: (v, kind) => (kind === 'patroni' || kind === 'kubernetes' ? { action: 'reinit', args: { member: str(v.member) } } : notFor('reinit', kind, 'Patroni and Zalando clusters')),
  question: (p) => `Reinitialise ${p.target} of ${p.cluster} (its data directory is deleted and copied again)?`,
});

export const promote = actionCommand({
  name: 'promote',
  summary: 'promote a standby: plain PostgreSQL (pg_promote) or a CloudNativePG instance',
  synopsis: '[options] --postgres CONN,CONN --candidate HOST:PORT | --kube-context NAME --cluster NS/NAME --candidate POD',
  description:
    'PostgreSQL without Patroni: the standby is promoted with pg_promote() once the runbook\n' +
    'allows it — the old primary fenced (refused while it still accepts writes, unless\n' +
    '--old-primary-fenced says clients can no longer reach it), the candidate streaming, on the\n' +
    'same timeline and caught up. The result shows the runbook: fence, promote, re-point clients,\n' +
    're-attach the old primary. A CloudNativePG instance is promoted as kubectl cnpg promote does.',
  options: { ...CANDIDATE, 'old-primary-fenced': { type: 'boolean', description: 'the old primary can no longer take writes from clients' } },
  examples: [`${P} promote --postgres 'host=db1 port=5432,host=db2 port=5432' --candidate db2:5432`, `${P} promote ${KUBE} --candidate pg-main-2`],
  plan(v, kind) {
    if (kind !== 'postgres' && kind !== 'kubernetes') notFor('promote', kind, 'PostgreSQL replication sets and CloudNativePG clusters');
    return { action: 'promote', args: { member: str(v.candidate), oldPrimaryFenced: v['old-primary-fenced'] === true } };
  },
  question: (p) => `Promote ${p.target} of ${p.cluster}${p.primary ? ` (${p.primary} is the primary now)` : ''}?`,
});

const fencing = (name: 'fence' | 'unfence') =>
  actionCommand({
    name,
    summary: name === 'fence' ? 'fence CloudNativePG instances (they stop serving; data kept)' : 'end the fencing of CloudNativePG instances',
    synopsis: '[options] --kube-context NAME --cluster NS/NAME [--member POD]',
    description: `${name === 'fence' ? 'Fences' : 'Unfences'} one instance, or all of them without --member, through the cnpg.io/fencedInstances\nannotation, as kubectl cnpg fencing ${name === 'fence' ? 'on' : 'off'} does.`,
    options: MEMBER,
    examples: [`${P} ${name} ${KUBE} --member pg-main-2`],
    plan: (v, kind) => (kind === 'kubernetes' ? { action: name, args: { member: str(v.member) } } : notFor(name, kind, 'CloudNativePG clusters')),
    question: (p) => `${name === 'fence' ? 'Fence' : 'Unfence'} ${p.target ?? 'every instance'} of ${p.cluster}?`,
  });

export const fence = fencing('fence');
export const unfence = fencing('unfence');

export const reset = actionCommand({
  name: 'reset',
  summary: "reset a Sentinel master's state (SENTINEL RESET): replicas and Sentinels found again",
  synopsis: '[options] --sentinel URL --master NAME',
  description: 'The Sentinels forget the replicas and other Sentinels of the master and discover them again:\nafter replicas or Sentinels were removed for good.',
  options: {},
  examples: [`REDISCLI_AUTH=... ${P} reset --sentinel redis://10.0.0.5:26379 --master mymaster`],
  plan: (_v, kind) => (kind === 'sentinel' ? { action: 'sentinel-reset', args: {} } : notFor('reset', kind, 'Redis Sentinel')),
  question: (p) => `Reset Sentinel's state of ${p.cluster}?`,
});

const serverCommand = (name: 'drain' | 'maint' | 'ready' | 'weight', summary: string, description: string) =>
  actionCommand({
    name,
    summary,
    synopsis: `[options] --haproxy SOCKET --server BACKEND/SERVER${name === 'weight' ? ' --weight N' : ''}`,
    description: `${description}\nThrough the runtime API of a stats socket with level admin (the stats page cannot).`,
    options: { ...SERVER, ...(name === 'weight' ? { weight: { type: 'string', placeholder: 'N', description: 'the new weight, 0 to 256' } } : {}) },
    examples: [`${P} ${name} --haproxy /run/haproxy/admin.sock --server pg_write/pg2${name === 'weight' ? ' --weight 50' : ''}`],
    plan(v, kind) {
      if (kind !== 'haproxy') notFor(name, kind, 'HAProxy');
      let weight: number | undefined;
      if (name === 'weight') {
        weight = Number(v.weight);
        if (v.weight === undefined || !/^\d+$/.test(String(v.weight)) || weight > 256) throw new UsageError(`--weight takes 0 to 256, not '${v.weight ?? ''}'`, name);
      }
      return { action: name, args: { member: str(v.server), ...(weight !== undefined ? { weight } : {}) } };
    },
    question: (p) => `${name === 'weight' ? 'Set the weight of' : name === 'ready' ? 'Make ready' : name === 'drain' ? 'Drain' : 'Put in maintenance'} ${p.target} (${p.cluster})?`,
  });

export const drain = serverCommand('drain', 'drain an HAProxy server: no new sessions, current ones finish', 'The server takes no new sessions (DRAIN); refused when it is the last server taking traffic in its backend.');
export const maint = serverCommand('maint', 'put an HAProxy server in maintenance (MAINT): no traffic at all', 'The server takes no traffic and is not checked (MAINT); refused when it is the last one taking traffic.');
export const ready = serverCommand('ready', 'return an HAProxy server to service (READY)', 'The server leaves DRAIN or MAINT and takes traffic again once its checks pass.');
export const weight = serverCommand('weight', "set an HAProxy server's weight", "The server's share of the backend's traffic, 0 to 256.");

export const ACTION_COMMANDS: readonly Command[] = [switchover, failover, pause, resume, restart, reinit, promote, fence, unfence, reset, drain, maint, ready, weight];
