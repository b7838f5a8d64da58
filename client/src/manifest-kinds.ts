// No `vscode` import: unit-tested from plain Node.

/** "apiVersion kind" pairs a dispatch schema (schemas/generated/kubernetes.schema.json) covers. */
export function kindsOfDispatchSchema(schemaText: string): Set<string> {
  const out = new Set<string>();
  const schema = JSON.parse(schemaText) as { allOf?: Array<{ if?: { properties?: { apiVersion?: { const?: unknown }; kind?: { const?: unknown } } } }> };
  for (const branch of schema.allOf ?? []) {
    const p = branch.if?.properties;
    if (typeof p?.apiVersion?.const === 'string' && typeof p.kind?.const === 'string') out.add(`${p.apiVersion.const} ${p.kind.const}`);
  }
  return out;
}

const unquote = (s: string) => s.replace(/^(["'])(.*)\1$/, '$2');

/**
 * True when some `---` document of a YAML text declares, at its top level, an apiVersion and
 * kind among `kinds`. A cheap line scan: it runs on every schema request of the YAML extension.
 */
export function declaresKind(text: string, kinds: ReadonlySet<string>): boolean {
  let apiVersion: string | undefined;
  let kind: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^---(\s|$)/.test(line)) {
      apiVersion = kind = undefined;
      continue;
    }
    const m = /^(apiVersion|kind):[ \t]*([^#\s][^#]*?)[ \t]*(#.*)?$/.exec(line);
    if (!m) continue;
    if (m[1] === 'apiVersion') apiVersion = unquote(m[2]);
    else kind = unquote(m[2]);
    if (apiVersion && kind && kinds.has(`${apiVersion} ${kind}`)) return true;
  }
  return false;
}
