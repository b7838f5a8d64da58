// Passwords of each connection, kept only in the editor's SecretStorage (the OS keychain or its
// encrypted store), keyed by `kind:name`. Nothing here logs or shows a secret.
import type { Event, SecretStorage } from 'vscode';
import { EventEmitter } from 'vscode';
import type { Credentials } from '../../../live/src/connect';

/** What a cluster's credentials are for: its own API (Patroni REST, Sentinel, HAProxy stats page) and its databases. */
export interface StoredCredentials {
  api?: Credentials;
  database?: Credentials;
}

export type CredentialPart = keyof StoredCredentials;

const KEY_PREFIX = 'hatopo.credentials/';

/** Every password held, for masking text before it is shown or logged. */
export function passwordsOf(c: StoredCredentials | undefined): string[] {
  return [c?.api?.password, c?.database?.password].filter((p): p is string => typeof p === 'string' && p !== '');
}

function parse(text: string | undefined): StoredCredentials | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as StoredCredentials;
    const part = (p: unknown): Credentials | undefined => {
      if (typeof p !== 'object' || p === null) return undefined;
      const { username, password } = p as Record<string, unknown>;
      const c: Credentials = {};
      if (typeof username === 'string' && username) c.username = username;
      if (typeof password === 'string' && password) c.password = password;
      return Object.keys(c).length ? c : undefined;
    };
    const out: StoredCredentials = {};
    const api = part(v.api);
    const database = part(v.database);
    if (api) out.api = api;
    if (database) out.database = database;
    return Object.keys(out).length ? out : undefined;
  } catch {
    return undefined;
  }
}

export class CredentialStore {
  private readonly cache = new Map<string, StoredCredentials | undefined>();
  private readonly changed = new EventEmitter<string>();
  /** Fires with the connection id whose credentials were set or cleared (here or in another window). */
  readonly onDidChange: Event<string> = this.changed.event;

  constructor(private readonly secrets: SecretStorage) {}

  async get(id: string): Promise<StoredCredentials | undefined> {
    if (!this.cache.has(id)) this.cache.set(id, parse(await this.secrets.get(KEY_PREFIX + id)));
    return this.cache.get(id);
  }

  /** The cached value (after a get); undefined when unknown. */
  peek(id: string): StoredCredentials | undefined {
    return this.cache.get(id);
  }

  async setPart(id: string, part: CredentialPart, value: Credentials): Promise<void> {
    const current = (await this.get(id)) ?? {};
    const next: StoredCredentials = { ...current, [part]: value };
    await this.secrets.store(KEY_PREFIX + id, JSON.stringify(next));
    this.cache.set(id, next);
    this.changed.fire(id);
  }

  async clear(id: string): Promise<void> {
    await this.secrets.delete(KEY_PREFIX + id);
    this.cache.set(id, undefined);
    this.changed.fire(id);
  }

  /**
   * Called when SecretStorage reports a change. It reports this store's own writes too: only a
   * value that differs from the one held (set in another window) is news.
   */
  async reload(key: string): Promise<void> {
    if (!key.startsWith(KEY_PREFIX)) return;
    const id = key.slice(KEY_PREFIX.length);
    const now = parse(await this.secrets.get(key));
    if (this.cache.has(id) && JSON.stringify(now) === JSON.stringify(this.cache.get(id))) return;
    this.cache.set(id, now);
    this.changed.fire(id);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
