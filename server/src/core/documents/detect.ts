import { minimatch } from 'minimatch';
import { PATRONI_SCHEMA } from '../schema/schemas';
import type { FileKind } from '../types';
import { FILE_KINDS } from '../types';
import { withLineFeeds } from './yaml/yaml-text';

function baseName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  const slash = path.lastIndexOf('/');
  return decodeURIComponent(slash >= 0 ? path.slice(slash + 1) : path).toLowerCase();
}

function pathOf(uri: string): string {
  return decodeURIComponent(uri.replace(/^file:\/\//, '').replace(/[?#].*$/, ''));
}

const PATRONI_NAME = /^(patroni|postgres|postgresql)[\w.-]*\.ya?ml$|[._-]patroni[\w.-]*\.ya?ml$/;
const SENTINEL_NAME = /^sentinel[\w.-]*\.conf$/;
const REDIS_NAME = /^redis[\w.-]*\.conf$/;
const HAPROXY_NAME = /^haproxy[\w.-]*\.(cfg|conf)$|\.haproxy$/;

const SENTINEL_CONTENT = /^[ \t]*sentinel[ \t]+monitor[ \t]/im;
const YAML_NAME = /\.ya?ml$/;
const PATRONI_SCOPE = /^scope[ \t]*:/m;
const PATRONI_SECTION = /^(postgresql|restapi|bootstrap)[ \t]*:/m;
const TOP_LEVEL_KEY = /^([A-Za-z_][\w.-]*)[ \t]*:(?=[ \t]|\r?$)/gm;
/** The top-level keys of a Patroni configuration. */
const PATRONI_TOP_LEVEL: ReadonlySet<string> = new Set(Object.keys((PATRONI_SCHEMA as { properties: object }).properties));
/** Patroni's top-level keys that other YAML files use as well, so they alone prove nothing. */
const SHARED_NAMES: ReadonlySet<string> = new Set(['name', 'namespace', 'postgresql', 'kubernetes', 'tags']);
/** Keys under `postgresql` that only Patroni's configuration has. */
const PATRONI_POSTGRESQL_ONLY: ReadonlySet<string> = new Set(['data_dir', 'connect_address', 'listen', 'authentication', 'bin_dir', 'pgpass', 'use_pg_rewind', 'pg_hba', 'callbacks', 'create_replica_methods', 'pg_ctl_timeout', 'use_unix_socket', 'remove_data_directory_on_rewind_failure']);
// Top-level keys, plain or quoted; a manifest written as JSON or a flow mapping names them anywhere.
const KUBERNETES_DOC = /^(["']?)apiVersion\1[ \t]*:/m;
const KUBERNETES_KIND = /^(["']?)kind\1[ \t]*:/m;
// The file, or a line (a document after `---`), starts with a flow mapping or sequence.
const FLOW_START = /^\ufeff?\s*[{[]|\n(?:---[ \t]+)?[{[]/;
const FLOW_API_VERSION = /[{,\s](["']?)apiVersion\1\s*:/;
const FLOW_KIND = /[{,\s](["']?)kind\1\s*:/;

function looksLikeManifest(yaml: string): boolean {
  if (KUBERNETES_DOC.test(yaml) && KUBERNETES_KIND.test(yaml)) return true;
  return FLOW_START.test(yaml) && FLOW_API_VERSION.test(yaml) && FLOW_KIND.test(yaml);
}
const HAPROXY_SECTION = /^(global|defaults|frontend|backend|listen)([ \t]|$)/m;
const HAPROXY_KEYWORD = /^[ \t]+(mode|bind|server|balance|timeout|maxconn|option|default_backend|use_backend|log|stats)[ \t]/m;
const REDIS_DIRECTIVE = /^(replicaof|slaveof|masterauth|masteruser|requirepass|repl-[\w-]+|appendonly|min-replicas-[\w-]+|min-slaves-[\w-]+|replica-[\w-]+|slave-[\w-]+)[ \t]/m;

/** Top-level keys of a YAML text (column 0, block style), read without parsing. */
function topLevelKeys(head: string): Set<string> {
  const keys = new Set<string>();
  for (const m of head.matchAll(TOP_LEVEL_KEY)) keys.add(m[1]);
  return keys;
}

/** The keys one level under a top-level key (block style), read without parsing. */
function childKeys(head: string, key: string): Set<string> {
  const out = new Set<string>();
  const at = new RegExp(`^${key}[ \\t]*:[^\\n]*\\n`, 'm').exec(head);
  if (!at) return out;
  let indent: string | undefined;
  for (const line of head.slice(at.index + at[0].length).split('\n')) {
    if (/^[ \t]*(#|$)/.test(line)) continue;
    const m = /^([ \t]+)([A-Za-z_][\w.-]*)[ \t]*:/.exec(line);
    if (!m) {
      if (!/^[ \t]/.test(line)) break;
      continue;
    }
    indent ??= m[1];
    if (m[1] === indent) out.add(m[2]);
  }
  return out;
}

/**
 * A Patroni configuration by its content: its top-level keys are Patroni's, and at least one of them
 * (or a key under `postgresql`) is one only Patroni uses. Helm values, docker-compose files and
 * Ansible variables named postgres*.yml fail both tests.
 */
function patroniContent(head: string): boolean {
  const keys = topLevelKeys(head);
  let known = 0;
  for (const k of keys) if (PATRONI_TOP_LEVEL.has(k)) known++;
  if (keys.size - known > known) return false;
  if ([...keys].some((k) => PATRONI_TOP_LEVEL.has(k) && !SHARED_NAMES.has(k))) return true;
  return keys.has('postgresql') && [...childKeys(head, 'postgresql')].some((k) => PATRONI_POSTGRESQL_ONLY.has(k));
}

/** What a file is, and whether its content says so (`confirmed`) or only its name does. */
export interface Detection {
  kind: FileKind;
  /**
   * True when the user's associations or the content establish the kind. A file only named like a
   * kind (postgresql-values.yaml with no Patroni key) gets that kind's completion and hover, but
   * none of its problems.
   */
  confirmed: boolean;
}

/** Kind by the user's `hatopo.files.associations`, then file name, then content. */
export function detectFile(uri: string, text: string, associations: Record<string, FileKind> = {}): Detection | undefined {
  const path = pathOf(uri);
  const name = baseName(uri);
  for (const [glob, kind] of Object.entries(associations)) {
    if (!FILE_KINDS.includes(kind)) continue;
    const target = glob.includes('/') ? path : name;
    if (minimatch(target, glob, { dot: true, nocase: true, matchBase: !glob.includes('/') })) return { kind, confirmed: true };
  }
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
  // YAML as its readers see it: a byte-order mark is no part of the first key, CR, NEL, LS and PS
  // break lines. NULs are dropped, so UTF-16 without its byte-order mark (read as UTF-8) is still
  // recognised, and its parser reports the NULs its reader refuses.
  const bare = withLineFeeds(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head);
  const yaml = bare.includes('\0') ? bare.replace(/\0/g, '') : bare;
  const kubernetes = YAML_NAME.test(name) && looksLikeManifest(yaml);
  if (PATRONI_NAME.test(name) && !kubernetes) return { kind: 'patroni', confirmed: patroniContent(yaml) };
  const confirmed = (kind: FileKind): Detection => ({ kind, confirmed: true });
  if (SENTINEL_NAME.test(name)) return confirmed('sentinel');
  if (REDIS_NAME.test(name)) return confirmed(SENTINEL_CONTENT.test(head) ? 'sentinel' : 'redis');
  if (HAPROXY_NAME.test(name)) return confirmed('haproxy');

  if (YAML_NAME.test(name)) {
    if (kubernetes) return confirmed('kubernetes');
    return PATRONI_SCOPE.test(yaml) && PATRONI_SECTION.test(yaml) ? confirmed('patroni') : undefined;
  }
  if (SENTINEL_CONTENT.test(head)) return confirmed('sentinel');
  if (HAPROXY_SECTION.test(head) && HAPROXY_KEYWORD.test(head)) return confirmed('haproxy');
  if (/\.conf$/.test(name) && REDIS_DIRECTIVE.test(head)) return confirmed('redis');
  return undefined;
}

/** The kind of a file whose content establishes it (see {@link detectFile}); undefined otherwise. */
export function detectKind(uri: string, text: string, associations: Record<string, FileKind> = {}): FileKind | undefined {
  const d = detectFile(uri, text, associations);
  return d?.confirmed ? d.kind : undefined;
}
