// The workspace's live side: what its config files say about running clusters (live targets), the
// snapshot of those clusters a client sent, and the CRDs a connected Kubernetes cluster serves.
import { crdFactOf } from '../documents/yaml/kubernetes-facts';
import type { LiveSnapshot } from '../live/snapshot';
import { driftKey } from '../live/snapshot';
import type { CrdFact, LiveTargetFact } from '../types';

interface FileTargets {
  /** Set for targets other files' checks read: compared to tell a real change from an edit elsewhere. */
  key?: string;
  get(): readonly LiveTargetFact[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Identity of the served CRDs: name and resourceVersion, which the API server changes on every update. */
function crdsKey(crds: readonly object[] | undefined): string {
  if (!crds?.length) return '';
  return crds
    .map((c) => {
      const meta = isRecord((c as Record<string, unknown>).metadata) ? ((c as Record<string, unknown>).metadata as Record<string, unknown>) : {};
      return typeof meta.resourceVersion === 'string' ? `${String(meta.name)}@${meta.resourceVersion}` : JSON.stringify(c);
    })
    .join('\n');
}

/** Only the versions the API server serves: a resource of another version is refused anyway. */
function servedCrdFact(crd: object): CrdFact | undefined {
  const value = crd as Record<string, unknown>;
  const spec = isRecord(value.spec) ? value.spec : undefined;
  const name = isRecord(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : 'unnamed';
  const versions = Array.isArray(spec?.versions) ? spec.versions.filter((v) => !isRecord(v) || v.served !== false) : spec?.versions;
  return crdFactOf(`kubernetes://cluster/customresourcedefinitions/${encodeURIComponent(name)}`, { ...value, spec: { ...spec, versions } });
}

export class LiveState {
  private readonly files = new Map<string, FileTargets>();
  private flat: LiveTargetFact[] | undefined;
  private key = '';
  private crdKey = '';
  private crds: CrdFact[] = [];
  snapshot: LiveSnapshot | undefined;

  /** `changed` is called when something checks read changed (the workspace's version moves on). */
  constructor(private readonly changed: () => void) {}

  updateTargets(uri: string, compute: () => LiveTargetFact[], shared: boolean): boolean {
    const known = this.files.get(uri);
    this.flat = undefined;
    if (!shared) {
      let cached: LiveTargetFact[] | undefined;
      this.files.set(uri, { get: () => (cached ??= compute()) });
      return known?.key !== undefined ? this.bump() : false;
    }
    const targets = compute();
    // Ranges move with every edit above them; only what the targets say is compared.
    const key = JSON.stringify(targets.map(({ range: _range, ...rest }) => rest));
    this.files.set(uri, { key, get: () => targets });
    return known?.key === key ? false : this.bump();
  }

  removeTargets(uri: string): boolean {
    const known = this.files.get(uri);
    if (!known) return false;
    this.files.delete(uri);
    this.flat = undefined;
    return known.key !== undefined ? this.bump() : false;
  }

  targets(): readonly LiveTargetFact[] {
    if (!this.flat) {
      const flat: LiveTargetFact[] = [];
      for (const f of this.files.values()) for (const t of f.get()) flat.push(t);
      this.flat = flat;
    }
    return this.flat;
  }

  servedCrds(): readonly CrdFact[] {
    return this.crds;
  }

  /** True when what checks read (drift key, served CRDs) changed; hover always sees the newest snapshot. */
  setSnapshot(snapshot: LiveSnapshot | undefined): boolean {
    this.snapshot = snapshot && (snapshot.clusters.length > 0 || snapshot.servedCrds?.length) ? snapshot : undefined;
    const key = driftKey(this.snapshot);
    const crdKey = crdsKey(this.snapshot?.servedCrds);
    let changed = false;
    if (crdKey !== this.crdKey) {
      this.crdKey = crdKey;
      this.crds = (this.snapshot?.servedCrds ?? []).map(servedCrdFact).filter((c): c is CrdFact => c !== undefined);
      changed = true;
    }
    if (key !== this.key) {
      this.key = key;
      changed = true;
    }
    return changed ? this.bump() : false;
  }

  private bump(): true {
    this.changed();
    return true;
  }
}
