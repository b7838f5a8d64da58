// Switchover, failover, maintenance, restart, promotion, fencing and HAProxy server states from the
// palette and the HA Clusters tree. These commands only ask and show: the pre-flight, the call and
// the verification are the live/ actions' (the same as `hatopo switchover`, `hatopo drain`…).
// Nothing runs in an untrusted workspace; nothing runs without a modal confirmation naming the
// cluster, the current primary and the target.
import { join } from 'node:path';
import type { ExtensionContext, LogOutputChannel, QuickPickItem } from 'vscode';
import { ProgressLocation, commands, window, workspace } from 'vscode';
import type { ActionArguments, PreparedAction } from '../../../live/src/actions/connect';
import { prepareAction } from '../../../live/src/actions/connect';
import { formatPreflight, formatResult } from '../../../live/src/actions/format';
import type { ActionKind, ActionResult, AuditRecord, AuditSink, Preflight } from '../../../live/src/actions/model';
import { fileAuditSink, runAction } from '../../../live/src/actions/run';
import type { ClusterState, Member, SystemKind } from '../../../live/src/model';
import type { Connection, ConnectionManager } from '../live/connections';
import type { CredentialStore, StoredCredentials } from '../live/credentials';
import { passwordsOf } from '../live/credentials';
import { endpointOf } from '../live/provider-factory';
import type { ClusterTreeNode } from '../views/tree-items';

/** How the target is chosen when no member was right-clicked. */
type Choose = 'candidate' | 'member' | 'server' | 'none';

interface EditorAction {
  command: string;
  /** The action for each kind of cluster the command acts on. */
  actions: Partial<Record<SystemKind, ActionKind>>;
  /** The button of the confirmation, and the notification's title. */
  verb: string;
  choose: Partial<Record<SystemKind, Choose>>;
  /** The choice may be left to the system (Patroni's switchover, Sentinel's failover). */
  anyCandidate?: boolean;
  question(p: Preflight): string;
  /** Asks for more (a weight); undefined cancels. */
  extra?(target: string): Promise<Partial<ActionArguments> | undefined>;
}

const who = (p: Preflight) => p.target ?? 'the member the system chooses';
const ACTIONS: EditorAction[] = [
  { command: 'hatopo.switchover', actions: { patroni: 'switchover', kubernetes: 'switchover' }, verb: 'Switch Over', choose: { patroni: 'candidate', kubernetes: 'candidate' }, anyCandidate: true, question: (p) => `Switch over ${p.cluster} from ${p.primary} to ${who(p)}?` },
  { command: 'hatopo.failover', actions: { patroni: 'failover', sentinel: 'sentinel-failover', kubernetes: 'failover' }, verb: 'Fail Over', choose: { patroni: 'candidate', sentinel: 'none', kubernetes: 'candidate' }, question: (p) => `Fail over ${p.cluster}${p.primary ? ` from ${p.primary}` : ' (no leader now)'} to ${who(p)}?` },
  { command: 'hatopo.pause', actions: { patroni: 'pause', kubernetes: 'pause' }, verb: 'Pause', choose: {}, question: (p) => `Pause ${p.cluster}? Patroni will not fail over until it is resumed.` },
  { command: 'hatopo.resume', actions: { patroni: 'resume', kubernetes: 'resume' }, verb: 'Resume', choose: {}, question: (p) => `Resume ${p.cluster}?` },
  { command: 'hatopo.restartMember', actions: { patroni: 'restart', kubernetes: 'restart' }, verb: 'Restart', choose: { patroni: 'member' }, question: (p) => `Restart ${p.target ?? 'every instance'} of ${p.cluster}?` },
  { command: 'hatopo.reinitMember', actions: { patroni: 'reinit', kubernetes: 'reinit' }, verb: 'Reinitialise', choose: { patroni: 'member', kubernetes: 'member' }, question: (p) => `Reinitialise ${p.target} of ${p.cluster}? Its data directory is deleted and copied again from the leader.` },
  { command: 'hatopo.promote', actions: { postgres: 'promote', kubernetes: 'promote' }, verb: 'Promote', choose: { postgres: 'candidate', kubernetes: 'candidate' }, question: (p) => `Promote ${p.target} of ${p.cluster}${p.primary ? ` (${p.primary} is the primary now)` : ''}?` },
  { command: 'hatopo.fence', actions: { kubernetes: 'fence' }, verb: 'Fence', choose: {}, question: (p) => `Fence ${p.target ?? 'every instance'} of ${p.cluster}? It stops serving.` },
  { command: 'hatopo.unfence', actions: { kubernetes: 'unfence' }, verb: 'Unfence', choose: {}, question: (p) => `Unfence ${p.target ?? 'every instance'} of ${p.cluster}?` },
  { command: 'hatopo.sentinelReset', actions: { sentinel: 'sentinel-reset' }, verb: 'Reset', choose: {}, question: (p) => `Reset Sentinel's state of ${p.cluster}? Replicas and Sentinels are discovered again.` },
  { command: 'hatopo.drainServer', actions: { haproxy: 'drain' }, verb: 'Drain', choose: { haproxy: 'server' }, question: (p) => `Drain ${p.target} (${p.cluster})? It takes no new sessions.` },
  { command: 'hatopo.maintServer', actions: { haproxy: 'maint' }, verb: 'Maintenance', choose: { haproxy: 'server' }, question: (p) => `Put ${p.target} (${p.cluster}) in maintenance? It takes no traffic.` },
  { command: 'hatopo.readyServer', actions: { haproxy: 'ready' }, verb: 'Ready', choose: { haproxy: 'server' }, question: (p) => `Return ${p.target} (${p.cluster}) to service?` },
  {
    command: 'hatopo.setServerWeight',
    actions: { haproxy: 'weight' },
    verb: 'Set Weight',
    choose: { haproxy: 'server' },
    question: (p) => `Change the weight of ${p.target} (${p.cluster})?`,
    async extra(target) {
      const v = await window.showInputBox({ title: `Weight of ${target}`, prompt: '0 to 256', validateInput: (x) => (/^\d+$/.test(x) && Number(x) <= 256 ? undefined : 'a whole number from 0 to 256') });
      return v === undefined ? undefined : { weight: Number(v) };
    },
  },
];

/** The audit: one JSON line in the workspace's .hatopo/audit.jsonl, and the same in the output channel. */
function auditSink(log: LogOutputChannel): AuditSink {
  const folder = workspace.workspaceFolders?.[0]?.uri;
  const file = folder?.scheme === 'file' ? fileAuditSink(join(folder.fsPath, '.hatopo', 'audit.jsonl')) : undefined;
  return {
    async write(record: AuditRecord) {
      log.info(`audit: ${JSON.stringify(record)}`);
      await file?.write(record);
    },
  };
}

interface Picked<T> extends QuickPickItem {
  value?: T;
}

async function pickConnectionOf(manager: ConnectionManager, kinds: SystemKind[], title: string): Promise<Connection | undefined> {
  const all = manager.connections().filter((c) => kinds.includes(c.config.kind));
  if (all.length <= 1) return all[0];
  const pick = await window.showQuickPick<Picked<Connection>>(
    all.map((c) => ({ label: c.config.name, description: `${c.config.kind} · ${c.config.endpoints[0] ?? c.config.context ?? ''}`, value: c })),
    { title, placeHolder: 'Cluster' },
  );
  return pick?.value;
}

/** The cluster of a connection that reads several (Sentinel masters, Kubernetes clusters): the right-clicked one, the only one, or one picked. */
async function pickState(manager: ConnectionManager, connection: Connection, node: ClusterTreeNode | undefined, title: string): Promise<ClusterState | undefined> {
  if (node && 'state' in node && node.state) return node.state;
  const states = manager.view(connection.id)?.states.filter((s) => !s.error) ?? [];
  if (states.length <= 1) return states[0];
  const pick = await window.showQuickPick<Picked<ClusterState>>(states.map((s) => ({ label: s.name, description: s.leader ? `leader ${s.leader}` : '', value: s })), { title, placeHolder: 'Cluster' });
  return pick?.value;
}

/** The candidates with their verdicts; the safe ones first, each refused one with its reasons. */
function candidateItems(p: Preflight, any: boolean): Array<Picked<string>> {
  const items: Array<Picked<string>> = p.candidates
    .slice()
    .sort((a, b) => Number(b.safe) - Number(a.safe))
    .map((c) => ({ label: `${c.safe ? '$(pass)' : '$(error)'} ${c.member}`, description: c.notes.join(' · '), detail: c.safe ? 'safe' : `refused: ${c.reasons.join('; ')}`, value: c.member }));
  if (any) items.unshift({ label: '$(sparkle) Any', description: 'the system chooses among the safe ones', detail: p.candidates.some((c) => c.safe) ? `safe: ${p.candidates.filter((c) => c.safe).map((c) => c.member).join(', ')}` : 'no member is safe' });
  return items;
}

const memberItems = (members: Member[]): Array<Picked<string>> => members.map((m) => ({ label: m.name, description: `${m.role}, ${m.state}`, value: m.name }));
const serverName = (m: Member) => `${m.group}/${m.name}`;

/** Shows how it ended: a notification, the details in the output channel. */
function report(result: ActionResult, log: LogOutputChannel, title: string): void {
  const text = formatResult(result).trim();
  log.info(`${title}: ${text}`);
  if (result.outcome === 'refused') {
    void window.showErrorMessage(`${title} refused`, { modal: true, detail: formatPreflight(result.preflight) });
    return;
  }
  const show = result.outcome === 'done' ? window.showInformationMessage : result.outcome === 'cancelled' ? window.showWarningMessage : window.showErrorMessage;
  void show(`HA Topology: ${title} — ${text}`, 'Show Output').then((c) => c && log.show(true));
}

export function registerActions(context: ExtensionContext, manager: ConnectionManager, store: CredentialStore, log: LogOutputChannel): void {
  for (const def of ACTIONS) {
    context.subscriptions.push(
      commands.registerCommand(def.command, (node?: ClusterTreeNode) =>
        runEditorAction(def, node, manager, store, log).catch((err: unknown) => {
          void window.showErrorMessage(`HA Topology: ${def.verb} failed: ${err instanceof Error ? err.message : String(err)}`);
        }),
      ),
    );
  }
}

function prepare(connection: Connection, creds: StoredCredentials | undefined, action: ActionKind, args: ActionArguments): Promise<PreparedAction> {
  const { endpoint, env } = endpointOf(connection.config, creds);
  return prepareAction(endpoint, action, args, env);
}

async function runEditorAction(def: EditorAction, node: ClusterTreeNode | undefined, manager: ConnectionManager, store: CredentialStore, log: LogOutputChannel): Promise<void> {
  if (!workspace.isTrusted) {
    void window.showWarningMessage('HA Topology changes no cluster in Restricted Mode: trust this workspace first.');
    return;
  }
  const kinds = Object.keys(def.actions) as SystemKind[];
  const fromNode = node && 'view' in node && kinds.includes(node.view.connection.config.kind) ? node.view.connection : undefined;
  const connection = fromNode ?? (await pickConnectionOf(manager, kinds, `${def.verb}: which cluster`));
  if (!connection) {
    void window.showInformationMessage(`Connect to a ${kinds.join(' or ')} cluster first.`);
    return;
  }
  const kind = connection.config.kind;
  const action = def.actions[kind] as ActionKind;
  const choose = def.choose[kind] ?? 'none';
  const state = await pickState(manager, connection, node, `${def.verb}: which cluster of ${connection.config.name}`);
  const args: ActionArguments = kind === 'kubernetes' && state ? { cluster: state.name } : {};
  const creds = await store.get(connection.id);
  const secrets = passwordsOf(creds);
  // A right-clicked member is the target; the leader itself is no candidate to take over from it.
  if (node?.kind === 'member' && !(choose === 'candidate' && node.member.name === node.state.leader)) args.member = node.member.role === 'server' ? serverName(node.member) : node.member.name;
  if (args.member === undefined && choose !== 'none') {
    let items: Array<Picked<string>>;
    if (choose === 'server') items = (state?.members ?? []).filter((m) => m.role === 'server').map((m) => ({ label: serverName(m), description: `${m.state}${m.tags?.sessions !== undefined ? ` · ${m.tags.sessions} sessions` : ''}`, value: serverName(m) }));
    else if (choose === 'member') items = memberItems(state?.members ?? []);
    else {
      // The verdicts of every candidate, from the state read now (the candidate given to the probe does not change them).
      const probeMember = state?.members.find((m) => m.role !== 'primary')?.name;
      const probe = await prepare(connection, creds, action, { ...args, ...(probeMember && kind !== 'patroni' ? { member: probeMember } : {}) });
      let preflight: Preflight;
      try {
        const now = await window.withProgress({ location: ProgressLocation.Window, title: `Reading ${connection.config.name}` }, () => probe.spec.read());
        if (now.error) {
          void window.showErrorMessage(`HA Topology: ${connection.config.name} could not be read: ${now.error}`);
          return;
        }
        preflight = probe.spec.preflight(now);
      } finally {
        await probe.close();
      }
      items = candidateItems(preflight, def.anyCandidate === true);
    }
    const picked = await window.showQuickPick(items, {
      title: `${def.verb} ${state?.name ?? connection.config.name}${state?.leader ? ` (${state.leader} leads)` : ''}`,
      placeHolder: choose === 'candidate' ? 'The member to promote: each with its pre-flight verdict' : choose === 'server' ? 'The server' : 'The member',
      matchOnDescription: true,
    });
    if (!picked) return;
    args.member = picked.value;
  }
  if (def.extra) {
    const more = await def.extra(args.member ?? '');
    if (!more) return;
    Object.assign(args, more);
  }
  // HAProxy names itself by its address only: the name the cluster was given reads better (as in the tree).
  const named = (p: Preflight): Preflight => (kind === 'haproxy' ? { ...p, cluster: connection.config.name } : p);
  let title = `${def.verb} ${kind === 'haproxy' ? connection.config.name : (state?.name ?? connection.config.name)}`;
  const confirm = async (p: Preflight): Promise<boolean> => {
    title = `${def.verb} ${named(p).cluster}`;
    return (await window.showWarningMessage(def.question(named(p)), { modal: true, detail: formatPreflight(named(p)) }, def.verb)) === def.verb;
  };
  try {
    const result = await window.withProgress({ location: ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort());
      const go = async (a: ActionArguments) => {
        const prepared = await prepare(connection, creds, action, a);
        try {
          return await runAction(prepared.spec, { deadlineMs: 120_000, pollMs: 1000, signal: stop.signal, progress: (m) => progress.report({ message: m }), audit: auditSink(log), via: 'vscode', secrets, confirm });
        } finally {
          await prepared.close();
        }
      };
      const first = await go(args);
      // Patroni's own forced failover: offered only where the pre-flight says it exists, and only by typing the cluster's name.
      if (first.outcome !== 'refused' || !first.preflight.force) return first;
      const typed = await window.showInputBox({
        title: `Force: ${first.preflight.force}`,
        prompt: `Commits the candidate lacks are lost. Type the cluster's name (${first.preflight.cluster}) to force the failover.`,
        ignoreFocusOut: true,
        validateInput: (v) => (v === '' || v === first.preflight.cluster ? undefined : `type ${first.preflight.cluster} exactly`),
      });
      return typed === first.preflight.cluster ? go({ ...args, force: true }) : first;
    });
    report(result, log, title);
  } finally {
    manager.refresh(connection.id);
  }
}
