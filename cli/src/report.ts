import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CheckInfo, Diagnostic, Range, RelatedLocation, Severity } from '../../server/src/core';

export interface FileRelatedLocation extends RelatedLocation {
  /** Where `file` (a URI) is shown: the path of a file given or found, else one relative to the current directory. */
  path: string;
}

export interface FileDiagnostic extends Omit<Diagnostic, 'related'> {
  /** The path as the user gave it (or as found under a directory they gave). */
  path: string;
  related?: FileRelatedLocation[];
}

/**
 * Attaches display paths to a diagnostic and its related locations. `pathOf` knows the files of
 * the run by URI; other file URIs are shown relative to the current directory.
 */
export function toFileDiagnostic(d: Diagnostic, pathOf: (uri: string) => string | undefined): FileDiagnostic {
  const show = (uri: string): string => {
    const known = pathOf(uri);
    if (known !== undefined) return known;
    if (!uri.startsWith('file:')) return uri;
    return relative(process.cwd(), fileURLToPath(uri)) || '.';
  };
  const { related, ...rest } = d;
  const out: FileDiagnostic = { ...rest, path: show(d.file) };
  if (related?.length) out.related = related.map((r) => ({ ...r, path: show(r.file) }));
  return out;
}

const position = (r: Range): string => `${r.start.line + 1}:${r.start.character + 1}`;

const ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function sortDiagnostics(diags: FileDiagnostic[]): FileDiagnostic[] {
  return [...diags].sort(
    (a, b) =>
      a.path.localeCompare(b.path) ||
      a.range.start.line - b.range.start.line ||
      a.range.start.character - b.range.start.character ||
      ORDER[a.severity] - ORDER[b.severity],
  );
}

export function formatText(diags: FileDiagnostic[], filesChecked: number, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const SEV: Record<Severity, string> = {
    error: paint('31', 'error'),
    warning: paint('33', 'warning'),
    information: paint('36', 'info'),
    hint: paint('2', 'hint'),
  };
  const lines = diags.flatMap((d) => [
    `${d.path}:${position(d.range)}: ${SEV[d.severity]} ${d.message} ${paint('2', `[${d.code}]`)}`,
    ...(d.related ?? []).map((r) => `  related: ${r.path}:${position(r.range)}: ${r.message}`),
  ]);
  const count = (s: Severity) => diags.filter((d) => d.severity === s).length;
  const files = new Set(diags.map((d) => d.path)).size;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('information')} info in ${plural(files, 'file')} (${plural(filesChecked, 'file')} checked)`,
  );
  return lines.join('\n') + '\n';
}

/** The shape is a contract (documented in docs/cli-output.md): fields are added, never renamed or removed. */
export function formatJson(diags: FileDiagnostic[]): string {
  return (
    JSON.stringify({
      version: 1,
      diagnostics: diags.map((d) => ({
        file: d.path,
        range: d.range,
        severity: d.severity,
        code: d.code,
        source: d.source,
        message: d.message,
        ...(d.codeDescription ? { codeDescription: d.codeDescription } : {}),
        ...(d.related?.length ? { related: d.related.map((r) => ({ file: r.path, range: r.range, message: r.message })) } : {}),
      })),
    }) + '\n'
  );
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A SARIF location: the path relative to the current directory (SRCROOT) and a 1-based region. */
function physicalLocation(path: string, range: Range, cwd: string) {
  return {
    artifactLocation: { uri: relative(cwd, resolve(path)).split('\\').join('/'), uriBaseId: 'SRCROOT' },
    region: {
      startLine: range.start.line + 1,
      startColumn: range.start.character + 1,
      endLine: range.end.line + 1,
      endColumn: range.end.character + 1,
    },
  };
}

/** SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it. */
export function formatSarif(diags: FileDiagnostic[], checks: ReadonlyArray<Pick<CheckInfo, 'id' | 'title' | 'summary' | 'defaultSeverity'>>, version: string, docsBase: string): string {
  const used = checks.filter((c) => diags.some((d) => d.code === c.id));
  const index = new Map(used.map((c, i) => [c.id, i]));
  const cwd = process.cwd();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hatopo',
            fullName: 'HA Topology',
            version,
            semanticVersion: version,
            rules: used.map((c) => ({
              id: c.id,
              name: c.id.replace(/[/-](\w)/g, (_, ch: string) => ch.toUpperCase()),
              shortDescription: { text: c.title },
              fullDescription: { text: c.summary },
              helpUri: `${docsBase}${c.id}.md`,
              help: { text: c.summary, markdown: c.summary },
              defaultConfiguration: { level: SARIF_LEVEL[c.defaultSeverity] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(cwd).href + '/' } },
        results: diags.map((d) => ({
          ruleId: d.code,
          ...(index.has(d.code) ? { ruleIndex: index.get(d.code) } : {}),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.message },
          locations: [{ physicalLocation: physicalLocation(d.path, d.range, cwd) }],
          ...(d.related?.length
            ? {
                relatedLocations: d.related.map((r, i) => ({
                  id: i,
                  message: { text: r.message },
                  physicalLocation: physicalLocation(r.path, r.range, cwd),
                })),
              }
            : {}),
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
