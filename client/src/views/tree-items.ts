// The nodes of the HA Clusters view: one TreeItem subclass per kind, each with its contextValue
// (what the view/item/context menus key on), icon and tooltip.
import { MarkdownString, ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState } from 'vscode';
import type { Candidate } from '../../../live/src/discovery';
import type { ClusterState, LiveProblem, Member } from '../../../live/src/model';
import type { ConnectionView } from '../live/connections';
import { clusterDescription, clusterTooltip, healthColor, memberDescription, memberTooltip, problemIcon, roleIcon } from './describe';

const icon = (id: string, color?: string) => new ThemeIcon(id, color ? new ThemeColor(color) : undefined);
const plain = (text: string) => {
  const md = new MarkdownString();
  md.appendCodeblock(text, 'text');
  return md;
};

/** A connection: a cluster the tree reads. Its states become its children (or it is the cluster itself when it has one). */
export class ConnectionNode extends TreeItem {
  readonly kind = 'connection';
  constructor(
    public view: ConnectionView,
    public state: ClusterState | undefined,
  ) {
    super('', TreeItemCollapsibleState.Expanded);
    this.id = `connection/${view.connection.id}`;
    this.update(view, state);
  }

  /**
   * Shows what the connection holds now. The tree keeps one node per connection and updates it in
   * place, so that it can refresh that connection alone: VS Code knows a node by the object.
   */
  update(view: ConnectionView, state: ClusterState | undefined): void {
    this.view = view;
    this.state = state;
    const { connection } = view;
    // HAProxy names itself by its address only: the name the cluster was given reads better.
    this.label = state && connection.config.kind !== 'haproxy' ? state.name : connection.config.name;
    const words = ['connection', connection.config.kind, connection.origin === 'settings' ? 'saved' : 'unsaved'];
    if (connection.config.kind !== 'kubernetes') words.push('secrets');
    if (view.hasCredentials) words.push('hasCredentials');
    this.contextValue = words.join(' ');
    if (view.connecting) {
      this.description = `${connection.config.kind} · connecting…`;
      this.iconPath = new ThemeIcon('loading~spin');
      this.tooltip = `${connection.config.kind} cluster ${connection.config.name}\n${connection.config.endpoints.join('\n')}`;
    } else if (state) {
      this.description = clusterDescription(state);
      this.iconPath = icon(state.error !== undefined ? 'debug-disconnect' : 'server-environment', healthColor(state.health));
      this.tooltip = plain(clusterTooltip(state));
    } else {
      this.description = `${connection.config.kind} · ${view.states.length} clusters`;
      const worst = view.states.some((s) => s.health === 'error') ? 'error' : view.states.some((s) => s.health === 'warning') ? 'warning' : 'ok';
      this.iconPath = icon('server-environment', healthColor(worst));
      this.tooltip = `${connection.config.kind} ${connection.config.name}\n${connection.config.endpoints.join('\n')}`;
    }
  }
}

const operatorOf = (state: ClusterState): string | undefined => (state.kind === 'kubernetes' && typeof state.details?.operator === 'string' ? state.details.operator : undefined);

/** One cluster of a connection that reads several (a Sentinel's masters, Kubernetes clusters). */
export class ClusterNode extends TreeItem {
  readonly kind = 'cluster';
  constructor(
    readonly view: ConnectionView,
    readonly state: ClusterState,
  ) {
    super(state.name, TreeItemCollapsibleState.Expanded);
    this.id = `cluster/${view.connection.id}/${state.name}`;
    // Kubernetes clusters name their operator too: the actions differ by operator.
    this.contextValue = [`cluster ${state.kind}`, operatorOf(state)].filter(Boolean).join(' ');
    this.description = clusterDescription(state);
    this.iconPath = icon('database', healthColor(state.health));
    this.tooltip = plain(clusterTooltip(state));
  }
}

export class MemberNode extends TreeItem {
  readonly kind = 'member';
  constructor(
    readonly view: ConnectionView,
    readonly state: ClusterState,
    readonly member: Member,
    children: boolean,
  ) {
    super(member.name, children ? TreeItemCollapsibleState.Expanded : TreeItemCollapsibleState.None);
    this.id = `member/${view.connection.id}/${state.name}/${member.group ?? ''}/${member.name}/${member.role}`;
    const words = ['member', member.role, state.kind, ...(operatorOf(state) ? [operatorOf(state) as string] : [])];
    if (member.address || member.apiUrl) words.push('address');
    this.contextValue = words.join(' ');
    this.description = memberDescription(member);
    const color = member.health === 'ok' ? (member.role === 'primary' ? 'charts.green' : undefined) : healthColor(member.health);
    this.iconPath = icon(roleIcon(member.role), color);
    this.tooltip = plain(memberTooltip(member, state));
    this.accessibilityInformation = { label: `${member.name}, ${this.description}` };
  }
}

export class ProblemNode extends TreeItem {
  readonly kind = 'problem';
  constructor(
    readonly view: ConnectionView,
    readonly state: ClusterState,
    readonly problem: LiveProblem,
  ) {
    super(problem.message, TreeItemCollapsibleState.None);
    this.id = `problem/${view.connection.id}/${state.name}/${problem.code}/${problem.member ?? ''}`;
    this.contextValue = `problem ${problem.severity} ${problem.code}`;
    this.description = problem.code;
    this.iconPath = icon(problemIcon(problem), problem.severity === 'error' ? 'errorForeground' : 'editorWarning.foreground');
    this.tooltip = `${problem.severity}: ${problem.message}${problem.member ? `\nMember: ${problem.member}` : ''}`;
  }
}

/** Why a cluster could not be read, and when it is tried again. */
export class ErrorNode extends TreeItem {
  readonly kind = 'error';
  constructor(
    readonly view: ConnectionView,
    label: string,
    detail: string,
  ) {
    super(label, TreeItemCollapsibleState.None);
    this.id = `error/${view.connection.id}/${detail}`;
    this.contextValue = 'error';
    this.iconPath = icon('error', 'errorForeground');
    this.tooltip = `${detail}\n\nRead from ${view.connection.config.endpoints.join(', ') || view.connection.config.name}. Failed reads are retried after 2 s, 4 s, 8 s … up to a minute; Refresh tries at once.`;
  }
}

/** The candidates found in the workspace, under one node. */
export class CandidatesNode extends TreeItem {
  readonly kind = 'candidates';
  constructor(
    readonly candidates: Candidate[],
    expanded: boolean,
  ) {
    super('Found in this workspace', expanded ? TreeItemCollapsibleState.Expanded : TreeItemCollapsibleState.Collapsed);
    this.id = 'candidates';
    this.contextValue = 'candidates';
    this.description = `${candidates.length} not connected`;
    this.iconPath = new ThemeIcon('search');
    this.tooltip = 'Clusters described by patroni.yml, sentinel.conf and haproxy.cfg files of this workspace, and the current Kubernetes context. Connect one with the plug button.';
  }
}

export class CandidateNode extends TreeItem {
  readonly kind = 'candidate';
  constructor(readonly candidate: Candidate) {
    super(candidate.name, TreeItemCollapsibleState.None);
    this.id = `candidate/${candidate.kind}:${candidate.name}`;
    this.contextValue = 'candidate';
    const where = candidate.endpoints[0] ?? candidate.context ?? '';
    this.description = `${candidate.kind} · ${where}${candidate.endpoints.length > 1 ? ` +${candidate.endpoints.length - 1}` : ''}`;
    this.iconPath = new ThemeIcon('plug');
    this.tooltip = `${candidate.kind} ${candidate.name}\n${candidate.endpoints.join('\n')}\n\nFound in:\n${candidate.foundAt.map((f) => `${f.path}:${f.line + 1}`).join('\n')}`;
    this.command = { command: 'hatopo.connect', title: 'Connect', arguments: [this] };
  }
}

export type ClusterTreeNode = ConnectionNode | ClusterNode | MemberNode | ProblemNode | ErrorNode | CandidatesNode | CandidateNode;
