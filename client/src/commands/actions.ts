// Switchover, failover, pause, resume, restart and reinitialise from the palette and the HA Clusters
// tree. These commands only ask and show: the pre-flight, the call and the verification are the
// live/ actions' (the same as `hatopo switchover`). Nothing runs in an untrusted workspace; nothing
// runs without a modal confirmation naming the cluster, the current primary and the target.
import { join } from 'node:path';
import type { ExtensionContext, LogOutputChannel, QuickPickItem } from 'vscode';
import { ProgressLocation, commands, window, workspace } from 'vscode';
import { patroniActionSpec } from '../../../live/src/actions/patroni';
import type { PatroniAction } from '../../../live/src/actions/patroni';
import { formatPreflight, formatResult } from '../../../live/src/actions/format';
import type { ActionResult, AuditRecord, AuditSink, Preflight } from '../../../live/src/actions/model';
import type { ActionSpec } from '../../../live/src/actions/run';
import { fileAuditSink, runAction } from '../../../live/src/actions/run';
import type { SystemKind } from '../../../live/src/model';
import type { Provider } from '../../../live/src/provider';
import type { Connection, ConnectionManager } from '../live/connections';
import type { CredentialStore } from '../live/credentials';
import { passwordsOf } from '../live/credentials';
import { patroniOptionsOf } from '../live/provider-factory';
import type { ClusterTreeNode } from '../views/tree-items';

interface EditorAction {
  command: string;
  action: PatroniAction;
  kinds: SystemKind[];
  /** The button of the confirmation. */
  verb: string;
  /** Whether a member is chosen (from the pre-flight's candidates, or every member for restart/reinit). */
  choose: 'candidate' | 'member' | 'none';
  /** A switchover may leave the choice to Patroni. */
  anyCandidate?: boolean;
  question(p: Preflight): string;
}

const ACTIONS: EditorAction[] = [
  { command: 'hatopo.switchover', action: 'switchover', kinds: ['patroni'], verb: 'Switch Over', choose: 'candidate', anyCandidate: true, question: (p) => `Switch over ${p.cluster} from ${p.primary} to ${p.target ?? 'the member Patroni chooses'}?` },
  { command: 'hatopo.failover', action: 'failover', kinds: ['patroni'], verb: 'Fail Over', choose: 'candidate', question: (p) => `Fail over ${p.cluster}${p.primary ? ` from ${p.primary}` : ' (no leader now)'} to ${p.target}?` },
  { command: 'hatopo.pause', action: 'pause', kinds: ['patroni'], verb: 'Pause', choose: 'none', question: (p) => `Pause ${p.cluster}? Patroni will not fail over until it is resumed.` },
  { command: 'hatopo.resume', action: 'resume', kinds: ['patroni'], verb: 'Resume', choose: 'none', question: (p) => `Resume ${p.cluster}?` },
  { command: 'hatopo.restartMember', action: 'restart', kinds: ['patroni'], verb: 'Restart', choose: 'member', question: (p) => `Restart PostgreSQL on ${p.target} (${p.cluster})?` },
  { command: 'hatopo.reinitMember', action: 'reinit', kinds: ['patroni'], verb: 'Reinitialise', choose: 'member', question: (p) => `Reinitialise ${p.target} of ${p.cluster}? Its data directory is deleted and copied again from the leader.` },
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

async function pickConnectionOf(manager: ConnectionManager, kinds: SystemKind[], title: string): Promise<Connection | undefined> {
  const all = manager.connections().filter((c) => kinds.includes(c.config.kind));
  if (all.length <= 1) return all[0];
  const pick = await window.showQuickPick(
    all.map((c) => ({ label: c.config.name, description: `${c.config.kind} · ${c.config.endpoints[0] ?? ''}`, connection: c })),
    { title, placeHolder: 'Cluster' },
  );
  return pick?.connection;
}

interface MemberItem extends QuickPickItem {
  member?: string;
}

/** The candidates with their verdicts; the safe ones first, each refused one with its reasons. */
function candidateItems(p: Preflight, any: boolean): MemberItem[] {
  const items: MemberItem[] = p.candidates
    .slice()
    .sort((a, b) => Number(b.safe) - Number(a.safe))
    .map((c) => ({ label: `${c.safe ? '$(pass)' : '$(error)'} ${c.member}`, description: c.notes.join(' · '), detail: c.safe ? 'safe' : `refused: ${c.reasons.join('; ')}`, member: c.member }));
  if (any) items.unshift({ label: '$(sparkle) Any', description: 'Patroni chooses among the safe ones', detail: p.candidates.some((c) => c.safe) ? `safe: ${p.candidates.filter((c) => c.safe).map((c) => c.member).join(', ')}` : 'no member is safe' });
  return items;
}

/** Shows how it ended: a notification, the details behind "Show Details" in the output channel. */
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

function prepare(action: PatroniAction, connection: Connection, creds: Parameters<typeof patroniOptionsOf>[1], member: string | undefined, force: boolean): ActionSpec & { provider: Provider } {
  return patroniActionSpec(action, { member, force, patroni: patroniOptionsOf(connection.config, creds) });
}

export function registerActions(context: ExtensionContext, manager: ConnectionManager, store: CredentialStore, log: LogOutputChannel): void {
  for (const def of ACTIONS) {
    context.subscriptions.push(commands.registerCommand(def.command, (node?: ClusterTreeNode) => runEditorAction(def, node, manager, store, log)));
  }
}

async function runEditorAction(def: EditorAction, node: ClusterTreeNode | undefined, manager: ConnectionManager, store: CredentialStore, log: LogOutputChannel): Promise<void> {
  if (!workspace.isTrusted) {
    void window.showWarningMessage('HA Topology changes no cluster in Restricted Mode: trust this workspace first.');
    return;
  }
  const fromNode = node && 'view' in node && def.kinds.includes(node.view.connection.config.kind) ? node.view.connection : undefined;
  const connection = fromNode ?? (await pickConnectionOf(manager, def.kinds, `${def.verb}: which cluster`));
  if (!connection) {
    void window.showInformationMessage(`Connect to a ${def.kinds.join(' or ')} cluster first.`);
    return;
  }
  const creds = await store.get(connection.id);
  const secrets = passwordsOf(creds);
  // A right-clicked member is the target; the leader itself is no candidate to take over from it.
  let member = node?.kind === 'member' && !(def.choose === 'candidate' && node.member.name === node.state.leader) ? node.member.name : undefined;
  let force = false;
  // Chosen from the pre-flight of the state read now, unless the member was right-clicked.
  if (def.choose !== 'none' && member === undefined) {
    const probe = prepare(def.action, connection, creds, undefined, false);
    let preflight: Preflight;
    try {
      const state = await window.withProgress({ location: ProgressLocation.Window, title: `Reading ${connection.config.name}` }, () => probe.read());
      if (state.error) {
        void window.showErrorMessage(`HA Topology: ${connection.config.name} could not be read: ${state.error}`);
        return;
      }
      preflight = probe.preflight(state);
      if (def.choose === 'member') preflight.candidates = state.members.map((m) => ({ member: m.name, safe: true, reasons: [], notes: [`${m.role}, ${m.state}`] }));
    } finally {
      await probe.provider.close?.();
    }
    const picked = await window.showQuickPick(def.choose === 'candidate' ? candidateItems(preflight, def.anyCandidate === true) : candidateItems(preflight, false), {
      title: `${def.verb} ${connection.config.name}${preflight.primary ? ` (${preflight.primary} leads)` : ''}`,
      placeHolder: def.choose === 'candidate' ? 'The member to promote: each with its pre-flight verdict' : 'The member',
      matchOnDescription: true,
    });
    if (!picked) return;
    member = picked.member;
  }
  const spec = prepare(def.action, connection, creds, member, false);
  let title = `${def.verb} ${connection.config.name}`;
  try {
    const result = await window.withProgress({ location: ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const stop = new AbortController();
      token.onCancellationRequested(() => stop.abort());
      let run = spec;
      const confirm = async (p: Preflight): Promise<boolean> => {
        title = `${def.verb} ${p.cluster}`;
        const choice = await window.showWarningMessage(def.question(p), { modal: true, detail: formatPreflight(p) }, def.verb);
        return choice === def.verb;
      };
      let result = await runAction(run, { deadlineMs: 120_000, pollMs: 1000, signal: stop.signal, progress: (m) => progress.report({ message: m }), audit: auditSink(log), via: 'vscode', secrets, confirm });
      // Patroni's own forced failover: offered only where the pre-flight says it exists, and only by typing the cluster's name.
      if (result.outcome === 'refused' && result.preflight.force && def.action === 'failover') {
        const typed = await window.showInputBox({
          title: `Force: ${result.preflight.force}`,
          prompt: `Commits the candidate lacks are lost. Type the cluster's name (${result.preflight.cluster}) to force the failover.`,
          ignoreFocusOut: true,
          validateInput: (v) => (v === '' || v === result.preflight.cluster ? undefined : `type ${result.preflight.cluster} exactly`),
        });
        if (typed === result.preflight.cluster) {
          force = true;
          await run.provider.close?.();
          run = prepare(def.action, connection, creds, member, force);
          result = await runAction(run, { deadlineMs: 120_000, pollMs: 1000, signal: stop.signal, progress: (m) => progress.report({ message: m }), audit: auditSink(log), via: 'vscode', secrets, confirm });
        }
      }
      await run.provider.close?.();
      return result;
    });
    report(result, log, title);
  } finally {
    await spec.provider.close?.();
    manager.refresh(connection.id);
  }
}
