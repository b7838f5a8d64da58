// The HA Clusters view: connected clusters → members (role icons, state, lag, timeline, sync badge),
// problems and read errors as nodes, and the clusters found in the workspace, one click from
// connecting. It only shows what the connection manager holds: it never reads, waits or asks.
import type { Disposable, Event, TreeDataProvider } from 'vscode';
import { EventEmitter } from 'vscode';
import type { ClusterState } from '../../../live/src/model';
import type { ConnectionManager, ConnectionView } from '../live/connections';
import { errorLabel } from './describe';
import type { ClusterTreeNode } from './tree-items';
import { CandidateNode, CandidatesNode, ClusterNode, ConnectionNode, ErrorNode, MemberNode, ProblemNode } from './tree-items';

export class ClusterTree implements TreeDataProvider<ClusterTreeNode>, Disposable {
  private readonly changed = new EventEmitter<ClusterTreeNode | undefined>();
  readonly onDidChangeTreeData: Event<ClusterTreeNode | undefined> = this.changed.event;
  private ticker: NodeJS.Timeout | undefined;
  private visible = false;
  private readonly subscription: Disposable;

  constructor(private readonly manager: ConnectionManager) {
    this.subscription = manager.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
    this.updateTicker();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.updateTicker();
  }

  /** While a cluster is failing and the view is visible, its "retrying in N s" counts down once a second. */
  private updateTicker(): void {
    // Failing = the last read ended in an error (a retry may be running right now: keep ticking).
    const failing = this.visible && this.manager.connections().some((c) => this.manager.view(c.id)?.states.some((s) => s.error !== undefined));
    if (failing && !this.ticker) this.ticker = setInterval(() => this.refresh(), 1000);
    else if (!failing && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  getTreeItem(node: ClusterTreeNode): ClusterTreeNode {
    return node;
  }

  getParent(): undefined {
    // Only used by reveal(), which the view does not call.
    return undefined;
  }

  getChildren(node?: ClusterTreeNode): ClusterTreeNode[] {
    if (!node) return this.roots();
    // The node may be one VS Code kept from an earlier refresh: children come from what is held now.
    const view = 'view' in node ? this.manager.view(node.view.connection.id) : undefined;
    switch (node.kind) {
      case 'connection': {
        if (!view) return [];
        const state = view.states.length === 1 ? view.states[0] : undefined;
        return state ? this.clusterChildren(view, state) : this.connectionChildren(view);
      }
      case 'cluster': {
        const state = view?.states.find((s) => s.name === node.state.name);
        return view && state ? this.clusterChildren(view, state) : [];
      }
      case 'member':
        return node.state.members.filter((m) => m.role === 'server' && m.group === node.member.name).map((m) => new MemberNode(node.view, node.state, m, false));
      case 'candidates':
        return node.candidates.map((c) => new CandidateNode(c));
      default:
        return [];
    }
  }

  private roots(): ClusterTreeNode[] {
    // Empty when nothing is connected and nothing was found: the view then shows its welcome text.
    if (!this.manager.active) return [];
    const out: ClusterTreeNode[] = [];
    for (const c of this.manager.connections()) {
      const view = this.manager.view(c.id);
      if (!view) continue;
      out.push(new ConnectionNode(view, view.states.length === 1 ? view.states[0] : undefined));
    }
    const candidates = this.manager.candidates();
    if (candidates.length) out.push(new CandidatesNode(candidates, out.length === 0));
    return out;
  }

  private connectionChildren(view: ConnectionView): ClusterTreeNode[] {
    if (view.connecting) return [];
    return view.states.map((s) => new ClusterNode(view, s));
  }

  private clusterChildren(view: ConnectionView, state: ClusterState): ClusterTreeNode[] {
    if (state.error !== undefined) {
      const label = errorLabel(state.error, { inSeconds: view.retryInSeconds, reading: view.reading, paused: this.manager.paused });
      return [new ErrorNode(view, label, state.error)];
    }
    const out: ClusterTreeNode[] = state.problems.map((p) => new ProblemNode(view, state, p));
    // HAProxy servers sit under their backend; everything else is listed as the system lists it.
    const backends = new Set(state.members.filter((m) => m.role === 'backend').map((m) => m.name));
    for (const m of state.members) {
      if (m.role === 'server' && m.group !== undefined && backends.has(m.group)) continue;
      const servers = m.role === 'backend' && state.members.some((s) => s.role === 'server' && s.group === m.name);
      out.push(new MemberNode(view, state, m, servers));
    }
    return out;
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
