// The connection manager: which clusters are connected (the setting's, the ones found in the
// workspace and connected by a click, the ones typed in), their providers and refresh schedule,
// and the snapshot every change sends to the language server. Nothing connects, and no file is
// read to find clusters, unless the workspace is trusted and `hatopo.live.enabled` is on.
import type { Disposable, Event, ExtensionContext, LogOutputChannel } from 'vscode';
import { EventEmitter, workspace } from 'vscode';
import type { Candidate, ClusterConfig, FoundAt } from '../../../live/src/discovery';
import type { ClusterState } from '../../../live/src/model';
import type { RefreshStatus } from '../../../live/src/refresher';
import { Refresher } from '../../../live/src/refresher';
import { connectionId, readClusterSettings, sameCluster } from './cluster-config';
import type { CredentialStore } from './credentials';
import { passwordsOf } from './credentials';
import { createProvider } from './provider-factory';
import { maskDeep, splitBrainKeys, stateKey } from './snapshot';

export type Origin = 'settings' | 'workspace' | 'added';

export interface Connection {
  id: string;
  config: ClusterConfig;
  origin: Origin;
  /** Where the workspace describes it, when it was found there. */
  foundAt?: FoundAt[];
  usernames?: Candidate['usernames'];
}

export interface ConnectionView {
  connection: Connection;
  states: ClusterState[];
  /** Before the first read ends. */
  connecting: boolean;
  reading: boolean;
  retryInSeconds?: number;
  hasCredentials: boolean;
}

export interface ManagerHooks {
  /** Every change of the connected clusters' states: the snapshot for the language server. */
  sendSnapshot(clusters: ClusterState[], servedCrds: object[]): void;
  /** The CRDs a connected Kubernetes cluster serves (read once per connection). */
  servedCrds(config: ClusterConfig): Promise<object[]>;
  /** A split brain appeared in a cluster (once per occurrence). */
  splitBrain(state: ClusterState, message: string): void;
  /** Workspace candidates (only called when trusted). */
  scan(): Promise<Candidate[]>;
  /** Mistakes in the hatopo.clusters setting (credentials in an endpoint…), shown once per change. */
  settingsWarnings(warnings: string[]): void;
}

const ADDED_KEY = 'hatopo.live.connected';
const DISCONNECTED_KEY = 'hatopo.live.disconnected';

export class ConnectionManager implements Disposable {
  private readonly changed = new EventEmitter<string | undefined>();
  /** Fires with a connection's id when only what it read changed, with undefined for anything else. */
  readonly onDidChange: Event<string | undefined> = this.changed.event;
  private readonly refresher: Refresher;
  private readonly connected = new Map<string, Connection>();
  private readonly lastKeys = new Map<string, string>();
  private readonly splitBrains = new Set<string>();
  private readonly crds = new Map<string, object[] | 'reading'>();
  private settings: ClusterConfig[] = [];
  private found: Candidate[] = [];
  private started = false;
  private shownWarnings = '';
  private scanning: Promise<void> | undefined;

  constructor(
    private readonly context: ExtensionContext,
    private readonly credentials: CredentialStore,
    private readonly log: LogOutputChannel,
    private readonly hooks: ManagerHooks,
  ) {
    this.refresher = new Refresher({ intervalMs: this.intervalMs(), onUpdate: (id, status) => this.updated(id, status) });
    // Hidden until the view says otherwise: nothing is read on a timer before someone looks.
    this.refresher.pause();
  }

  /** Connections are only made in a trusted workspace with live state on. */
  get active(): boolean {
    return workspace.isTrusted && workspace.getConfiguration('hatopo.live').get<boolean>('enabled', true);
  }

  private intervalMs(): number {
    const s = workspace.getConfiguration('hatopo.live').get<number>('refreshInterval', 2);
    return Math.max(1, Number.isFinite(s) ? s : 2) * 1000;
  }

  /** Connects the setting's clusters and the ones connected before, then looks for candidates. */
  async start(): Promise<void> {
    if (!this.active) return;
    this.started = true;
    await this.applySettings();
    for (const c of this.context.workspaceState.get<Connection[]>(ADDED_KEY, [])) {
      if (!this.connected.has(c.id)) await this.open(c);
    }
    await this.rescan();
  }

  /** Re-reads the settings: new clusters connect, removed ones disconnect, changed ones reconnect. */
  async applySettings(): Promise<void> {
    if (!this.active) return this.stopAll();
    this.refresher.setIntervalMs(this.intervalMs());
    const { clusters, warnings } = readClusterSettings(workspace.getConfiguration('hatopo').get('clusters'));
    for (const w of warnings) this.log.warn(w);
    if (warnings.length && warnings.join('\n') !== this.shownWarnings) this.hooks.settingsWarnings(warnings);
    this.shownWarnings = warnings.join('\n');
    this.settings = clusters;
    const disconnected = new Set(this.context.workspaceState.get<string[]>(DISCONNECTED_KEY, []));
    for (const [id, c] of this.connected) {
      if (c.origin === 'settings' && !clusters.some((s) => connectionId(s) === id)) this.close(id);
    }
    for (const config of clusters) {
      const id = connectionId(config);
      const known = this.connected.get(id);
      if (disconnected.has(id) || (known && JSON.stringify(known.config) === JSON.stringify(config))) continue;
      await this.open({ id, config, origin: 'settings', ...this.foundFor(config) });
    }
    this.changed.fire(undefined);
  }

  /** Looks for candidates in the workspace files again (one scan at a time). */
  rescan(): Promise<void> {
    if (!this.active) return Promise.resolve();
    this.scanning ??= this.hooks
      .scan()
      .then((found) => {
        this.found = found;
        this.changed.fire(undefined);
      })
      .catch((err: unknown) => this.log.warn(`looking for clusters in the workspace failed: ${String(err)}`))
      .finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  private foundFor(config: ClusterConfig): Pick<Connection, 'foundAt' | 'usernames'> {
    const c = this.found.find((f) => sameCluster(f, config));
    return c ? { foundAt: c.foundAt, ...(c.usernames ? { usernames: c.usernames } : {}) } : {};
  }

  /** Candidates found in the workspace that are neither connected nor in the settings. */
  candidates(): Candidate[] {
    if (!this.active) return [];
    const taken = [...this.settings, ...[...this.connected.values()].map((c) => c.config)];
    return this.found.filter((f) => !taken.some((t) => sameCluster(f, t)));
  }

  settingsClusters(): readonly ClusterConfig[] {
    return this.settings;
  }

  connections(): Connection[] {
    return [...this.connected.values()];
  }

  get(id: string): Connection | undefined {
    return this.connected.get(id);
  }

  view(id: string): ConnectionView | undefined {
    const connection = this.connected.get(id);
    if (!connection) return undefined;
    const status = this.refresher.status(id);
    return {
      connection,
      states: status?.states ?? [],
      connecting: !status || status.readAt === undefined,
      reading: status?.reading ?? false,
      retryInSeconds: this.refresher.retryInSeconds(id),
      hasCredentials: this.credentials.peek(id) !== undefined,
    };
  }

  /** Every connected cluster's states, in connection order. */
  snapshot(): ClusterState[] {
    return [...this.connected.keys()].flatMap((id) => this.refresher.status(id)?.states ?? []);
  }

  get paused(): boolean {
    return this.refresher.isPaused;
  }

  /** Connects a cluster (a candidate, a typed endpoint or a settings entry the user had disconnected). */
  async connect(config: ClusterConfig, origin: Origin, extra: Pick<Connection, 'foundAt' | 'usernames'> = {}): Promise<Connection | undefined> {
    if (!this.active) return undefined;
    const id = connectionId(config);
    const inSettings = this.settings.find((s) => connectionId(s) === id);
    const connection: Connection = inSettings ? { id, config: inSettings, origin: 'settings', ...this.foundFor(inSettings) } : { id, config, origin, ...extra };
    await this.forgetDisconnected(id);
    if (connection.origin !== 'settings') await this.remember(connection);
    await this.open(connection);
    this.changed.fire(undefined);
    return connection;
  }

  async disconnect(id: string): Promise<void> {
    const c = this.connected.get(id);
    if (!c) return;
    this.close(id);
    if (c.origin === 'settings') {
      const list = new Set(this.context.workspaceState.get<string[]>(DISCONNECTED_KEY, []));
      list.add(id);
      await this.context.workspaceState.update(DISCONNECTED_KEY, [...list]);
    } else {
      await this.context.workspaceState.update(ADDED_KEY, this.context.workspaceState.get<Connection[]>(ADDED_KEY, []).filter((x) => x.id !== id));
    }
    this.log.info(`disconnected from ${c.config.kind} cluster ${c.config.name}`);
    this.publish();
  }

  /** Reads now: one connection, or all. */
  refresh(id?: string): void {
    this.refresher.refresh(id);
  }

  /** The tree's visibility: reads run on a timer only while it is visible. */
  setVisible(visible: boolean): void {
    if (visible) this.refresher.resume();
    else this.refresher.pause();
  }

  /** New credentials: reconnect with them. */
  async credentialsChanged(id: string): Promise<void> {
    const c = this.connected.get(id);
    if (c) await this.open(c);
    this.changed.fire(undefined);
  }

  /** Passwords of every connection, for masking. */
  secrets(): string[] {
    return [...this.connected.keys()].flatMap((id) => passwordsOf(this.credentials.peek(id)));
  }

  private async open(connection: Connection): Promise<void> {
    const creds = await this.credentials.get(connection.id);
    const provider = createProvider(connection.config, creds);
    this.connected.set(connection.id, connection);
    this.lastKeys.delete(connection.id);
    this.refresher.add(connection.id, provider);
    // One read now even while the view is hidden, so the status bar has something to show.
    if (this.refresher.isPaused) this.refresher.refresh(connection.id);
    this.log.info(`connecting to ${connection.config.kind} cluster ${connection.config.name} (${provider.source})`);
  }

  private close(id: string): void {
    this.refresher.remove(id);
    this.connected.delete(id);
    this.lastKeys.delete(id);
    this.crds.delete(id);
    for (const key of [...this.splitBrains]) if (key.startsWith(`${id}\0`)) this.splitBrains.delete(key);
  }

  private async stopAll(): Promise<void> {
    for (const id of [...this.connected.keys()]) this.close(id);
    this.found = [];
    this.started = false;
    this.publish();
  }

  private async remember(c: Connection): Promise<void> {
    const list = this.context.workspaceState.get<Connection[]>(ADDED_KEY, []).filter((x) => x.id !== c.id);
    await this.context.workspaceState.update(ADDED_KEY, [...list, { id: c.id, config: c.config, origin: c.origin, ...(c.foundAt ? { foundAt: c.foundAt } : {}) }]);
  }

  private async forgetDisconnected(id: string): Promise<void> {
    const list = this.context.workspaceState.get<string[]>(DISCONNECTED_KEY, []);
    if (list.includes(id)) await this.context.workspaceState.update(DISCONNECTED_KEY, list.filter((x) => x !== id));
  }

  private updated(id: string, status: RefreshStatus): void {
    const secrets = passwordsOf(this.credentials.peek(id));
    if (secrets.length) status.states = maskDeep(status.states, secrets);
    const key = stateKey(status.states);
    const before = this.lastKeys.get(id);
    if (before === key) return;
    this.lastKeys.set(id, key);
    const errors = status.states.filter((s) => s.error !== undefined);
    if (errors.length && (before === undefined || !before.includes('"error"'))) for (const s of errors) this.log.warn(`${s.kind} ${s.name}: ${s.error}`);
    this.alarm(id, status.states);
    this.readCrds(id, status.states);
    this.publish(id);
  }

  private alarm(id: string, states: ClusterState[]): void {
    const now = splitBrainKeys(id, states);
    for (const key of [...this.splitBrains]) if (key.startsWith(`${id}\0`) && !now.has(key)) this.splitBrains.delete(key);
    for (const [key, { state, message }] of now) {
      if (this.splitBrains.has(key)) continue;
      this.splitBrains.add(key);
      this.log.error(`split brain in ${state.kind} cluster ${state.name}: ${message}`);
      this.hooks.splitBrain(state, message);
    }
  }

  /** A Kubernetes connection that answered: ask once for the CRDs its cluster serves. */
  private readCrds(id: string, states: ClusterState[]): void {
    const c = this.connected.get(id);
    if (c?.config.kind !== 'kubernetes' || this.crds.has(id) || states.every((s) => s.error !== undefined)) return;
    this.crds.set(id, 'reading');
    this.hooks.servedCrds(c.config).then(
      (list) => {
        if (this.crds.get(id) !== 'reading') return;
        this.crds.set(id, list);
        this.publish();
      },
      (err: unknown) => {
        this.crds.delete(id);
        this.log.warn(`the CRDs served by ${c.config.name} could not be read: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
  }

  private servedCrds(): object[] {
    return [...this.connected.keys()].flatMap((id) => {
      const list = this.crds.get(id);
      return Array.isArray(list) ? list : [];
    });
  }

  private publish(id?: string): void {
    this.hooks.sendSnapshot(this.snapshot(), this.servedCrds());
    this.changed.fire(id);
  }

  get isStarted(): boolean {
    return this.started;
  }

  dispose(): void {
    this.refresher.dispose();
    this.connected.clear();
    this.changed.dispose();
  }
}
