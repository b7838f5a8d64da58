// The status bar item: the live state of the cluster the active file describes (primary, n/n
// healthy, largest lag), in the error colour on a split brain; a one-line summary of every connected
// cluster when the active file describes none. Clicking it shows the HA Clusters view.
import type { Disposable, StatusBarItem } from 'vscode';
import { StatusBarAlignment, ThemeColor, window } from 'vscode';
import type { Candidate } from '../../../live/src/discovery';
import type { ClusterState } from '../../../live/src/model';
import { sameCluster } from '../live/cluster-config';
import type { ConnectionManager } from '../live/connections';
import { candidatesOfText } from '../live/workspace-scan';
import { statusSummary } from './describe';

export class ClusterStatusBar implements Disposable {
  private readonly item: StatusBarItem;
  private readonly subscriptions: Disposable[] = [];
  private cache: { key: string; candidates: Candidate[] } | undefined;

  constructor(private readonly manager: ConnectionManager) {
    this.item = window.createStatusBarItem('hatopo.clusterStatus', StatusBarAlignment.Left, 50);
    this.item.name = 'HA Cluster State';
    this.item.command = 'hatopo.clusters.focus';
    this.subscriptions.push(
      manager.onDidChange(() => this.update()),
      window.onDidChangeActiveTextEditor(() => this.update()),
    );
    this.update();
  }

  /** What the active file describes, parsed once per version of it. */
  private described(): Candidate[] {
    const doc = window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file') return [];
    const key = `${doc.uri.toString()}@${doc.version}`;
    if (this.cache?.key !== key) this.cache = { key, candidates: candidatesOfText(doc.uri.fsPath, doc.getText()) };
    return this.cache.candidates;
  }

  /** The states of the cluster the active file describes, if it is connected. */
  private activeFileStates(): ClusterState[] {
    const described = this.described();
    const out: ClusterState[] = [];
    for (const candidate of described) {
      for (const c of this.manager.connections()) {
        if (!sameCluster(candidate, c.config)) continue;
        const states = this.manager.view(c.id)?.states ?? [];
        const named = states.filter((s) => s.name === candidate.name || s.name === candidate.master);
        out.push(...(named.length ? named : states.slice(0, 1)));
      }
    }
    return out;
  }

  update(): void {
    const all = this.manager.snapshot();
    if (!this.manager.active || all.length === 0) {
      this.item.hide();
      return;
    }
    const mine = this.activeFileStates();
    const split = all.find((s) => s.problems.some((p) => p.code === 'split-brain'));
    const shown = mine[0] ?? split;
    if (shown) {
      const s = statusSummary(shown);
      this.item.text = `$(${s.level === 'error' ? 'error' : 'server-environment'}) ${s.text}`;
      this.item.tooltip = s.tooltip;
      this.paint(s.level);
    } else {
      const healthy = all.filter((s) => s.health === 'ok').length;
      const worst = all.some((s) => s.health === 'error') ? 'error' : all.some((s) => s.health === 'warning') ? 'warning' : 'ok';
      this.item.text = `$(server-environment) ${healthy}/${all.length} clusters healthy`;
      this.item.tooltip = all.map((s) => `${s.name} (${s.kind}): ${s.error ?? s.health}`).join('\n');
      this.paint(worst);
    }
    // Reads run on a timer only while the view is visible: say how old what is shown may be.
    if (this.manager.paused) this.item.tooltip = `${String(this.item.tooltip)}\n\nThe last read: clusters refresh while the HA Clusters view is visible.`;
    this.item.show();
  }

  private paint(level: string): void {
    this.item.backgroundColor = level === 'error' ? new ThemeColor('statusBarItem.errorBackground') : level === 'warning' ? new ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
