import type { LiveSnapshot } from '../live/snapshot';
import type { CrdFact, FileFacts, LiveTargetFact, NodeLabelFact, OperatorSettingFact, PdbFact, WorkloadFact, WorkspaceView } from '../types';
import { LiveState } from './live-state';

const isEmpty = (facts: FileFacts): boolean => Object.values(facts).every((list: readonly unknown[]) => list.length === 0);

/**
 * What every known file of the workspace declares for cross-file checks. Files are keyed by URI;
 * an open document's facts replace those read from disk. The version changes only when some
 * file's facts really change, so ordinary edits do not invalidate the other documents' results.
 */
export class Workspace implements WorkspaceView {
  private readonly files = new Map<string, { key: string; facts: FileFacts }>();
  private flat: FileFacts | undefined;
  private readonly liveState = new LiveState(() => this.changed());
  version = 0;

  get fileCount(): number {
    return this.files.size;
  }

  /** Records a file's facts; true when they differ from what was known. */
  update(uri: string, facts: FileFacts): boolean {
    const known = this.files.get(uri);
    if (isEmpty(facts)) return known ? this.remove(uri) : false;
    const key = JSON.stringify(facts);
    if (known?.key === key) return false;
    this.files.set(uri, { key, facts });
    this.changed();
    return true;
  }

  remove(uri: string): boolean {
    const targets = this.liveState.removeTargets(uri);
    if (!this.files.delete(uri)) return targets;
    this.changed();
    return true;
  }

  /**
   * Records what a file says about running clusters. `shared`: other files' checks read them, so
   * a change re-validates; otherwise they are computed only when asked for (hover, locations).
   */
  updateTargets(uri: string, targets: () => LiveTargetFact[], shared: boolean): boolean {
    return this.liveState.updateTargets(uri, targets, shared);
  }

  liveTargets(): readonly LiveTargetFact[] {
    return this.liveState.targets();
  }

  /** Takes a new live snapshot; true when what drift checks read of it changed (then results are recomputed). */
  setLive(snapshot: LiveSnapshot | undefined): boolean {
    return this.liveState.setSnapshot(snapshot);
  }

  live(): LiveSnapshot | undefined {
    return this.liveState.snapshot;
  }

  private changed(): void {
    this.version++;
    this.flat = undefined;
  }

  private all(): FileFacts {
    if (!this.flat) {
      const flat: FileFacts = { pdbs: [], workloads: [], crds: [], operatorSettings: [], nodeLabels: [] };
      // Item by item: spreading a file's very long list into push() would overflow the stack.
      const add = <T>(to: T[], from: readonly T[]) => {
        for (const x of from) to.push(x);
      };
      for (const { facts } of this.files.values()) {
        add(flat.pdbs, facts.pdbs);
        add(flat.workloads, facts.workloads);
        add(flat.crds, facts.crds);
        add(flat.operatorSettings, facts.operatorSettings);
        add(flat.nodeLabels, facts.nodeLabels);
      }
      // The CRDs a connected cluster serves come after the workspace's own: a CRD being edited wins.
      add(flat.crds, this.liveState.servedCrds());
      this.flat = flat;
    }
    return this.flat;
  }

  pdbs(): readonly PdbFact[] {
    return this.all().pdbs;
  }

  workloads(): readonly WorkloadFact[] {
    return this.all().workloads;
  }

  crds(): readonly CrdFact[] {
    return this.all().crds;
  }

  operatorSettings(): readonly OperatorSettingFact[] {
    return this.all().operatorSettings;
  }

  nodeLabels(): readonly NodeLabelFact[] {
    return this.all().nodeLabels;
  }
}

/** A workspace file as messages name it: the last segment of its URI, decoded. */
export function fileNameOf(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const name = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
