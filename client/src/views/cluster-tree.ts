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
  /** The connections' nodes as last shown, by connection id, and what the top level held then. */
  private readonly shown = new Map<string, ConnectionNode>();
  private shownShape = '';

  constructor(private readonly manager: ConnectionManager) {
    this.subscription = manager.onDidChange((id) => (id === undefined ? this.refresh() : this.refreshConnection(id)));
  }

  /** Everything again. */
  refresh(): void {
    this.changed.fire(undefined);
    this.updateTicker();
  }

  /**
   * One connection again, when the top level is as shown: its rows alone are rebuilt, so a row of
   * another connection keeps its identity (a context menu opened on it still acts on it).
   */
  private refreshConnection(id: string): void {
    const node = this.shown.get(id);
    const view = this.manager.view(id);
    if (!node || !view || this.shape() !== this.shownShape) return this.refresh();
    node.update(view, view.states.length === 1 ? view.states[0] : undefined);
    this.changed.fire(node);
    this.updateTicker();
  }

  /** What the top level holds: which connections, and the candidates row. */
  private shape(): string {
    if (!this.manager.active) return '';
    return JSON.stringify([this.manager.connections().map((c) => c.id), this.manager.candidates().length > 0]);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.updateTicker();
  }

  /** While a cluster is failing and the view is visible, its "retrying in N s" counts down once a second. */
  private updateTicker(): void {
    // Failing = the last read ended in an error (a retry may be running right now: keep ticking).
    const failing = this.visible && this.failing().length > 0;
    if (failing && !this.ticker) this.ticker = setInterval(() => this.failing().forEach((id) => this.refreshConnection(id)), 1000);
    else if (!failing && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** The connections whose last read ended in an error. */
  private failing(): string[] {
    return this.manager
      .connections()
      .filter((c) => this.manager.view(c.id)?.states.some((s) => s.error !== undefined))
      .map((c) => c.id);
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
    this.shownShape = this.shape();
    const kept = new Map(this.shown);
    this.shown.clear();
    // Empty when nothing is connected and nothing was found: the view then shows its welcome text.
    if (!this.manager.active) return [];
    const out: ClusterTreeNode[] = [];
    for (const c of this.manager.connections()) {
      const view = this.manager.view(c.id);
      if (!view) continue;
      const state = view.states.length === 1 ? view.states[0] : undefined;
      const node = kept.get(c.id);
      if (node) node.update(view, state);
      const shown = node ?? new ConnectionNode(view, state);
      this.shown.set(c.id, shown);
      out.push(shown);
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
