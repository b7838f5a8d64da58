import { minimatch } from 'minimatch';
import type { FileKind } from '../types';
import { FILE_KINDS } from '../types';

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
const KUBERNETES_DOC = /^apiVersion[ \t]*:/m;
const KUBERNETES_KIND = /^kind[ \t]*:/m;
const HAPROXY_SECTION = /^(global|defaults|frontend|backend|listen)([ \t]|$)/m;
const HAPROXY_KEYWORD = /^[ \t]+(mode|bind|server|balance|timeout|maxconn|option|default_backend|use_backend|log|stats)[ \t]/m;
const REDIS_DIRECTIVE = /^(replicaof|slaveof|masterauth|masteruser|requirepass|repl-[\w-]+|appendonly|min-replicas-[\w-]+|min-slaves-[\w-]+|replica-[\w-]+|slave-[\w-]+)[ \t]/m;

/** Kind by the user's `hatopo.files.associations`, then file name, then content. */
export function detectKind(uri: string, text: string, associations: Record<string, FileKind> = {}): FileKind | undefined {
  const path = pathOf(uri);
  const name = baseName(uri);
  for (const [glob, kind] of Object.entries(associations)) {
    if (!FILE_KINDS.includes(kind)) continue;
    const target = glob.includes('/') ? path : name;
    if (minimatch(target, glob, { dot: true, nocase: true, matchBase: !glob.includes('/') })) return kind;
  }
  const head = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const kubernetes = YAML_NAME.test(name) && KUBERNETES_DOC.test(head) && KUBERNETES_KIND.test(head);
  if (PATRONI_NAME.test(name) && !kubernetes) return 'patroni';
  if (SENTINEL_NAME.test(name)) return 'sentinel';
  if (REDIS_NAME.test(name)) return SENTINEL_CONTENT.test(head) ? 'sentinel' : 'redis';
  if (HAPROXY_NAME.test(name)) return 'haproxy';

  if (YAML_NAME.test(name)) {
    if (kubernetes) return 'kubernetes';
    return PATRONI_SCOPE.test(head) && PATRONI_SECTION.test(head) ? 'patroni' : undefined;
  }
  if (SENTINEL_CONTENT.test(head)) return 'sentinel';
  if (HAPROXY_SECTION.test(head) && HAPROXY_KEYWORD.test(head)) return 'haproxy';
  if (/\.conf$/.test(name) && REDIS_DIRECTIVE.test(head)) return 'redis';
  return undefined;
}
