import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckInfo, Diagnostic, Severity } from '../../server/src/core';

export interface FileDiagnostic extends Diagnostic {
  /** The path as the user gave it (or as found under a directory they gave). */
  path: string;
}

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
  const lines = diags.map(
    (d) => `${d.path}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${SEV[d.severity]} ${d.message} ${paint('2', `[${d.code}]`)}`,
  );
  const count = (s: Severity) => diags.filter((d) => d.severity === s).length;
  const files = new Set(diags.map((d) => d.path)).size;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('information')} info in ${plural(files, 'file')} (${plural(filesChecked, 'file')} checked)`,
  );
  return lines.join('\n') + '\n';
}

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
      })),
    }) + '\n'
  );
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it. */
export function formatSarif(diags: FileDiagnostic[], checks: CheckInfo[], version: string, docsBase: string): string {
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
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relative(cwd, resolve(d.path)).split('\\').join('/'), uriBaseId: 'SRCROOT' },
                region: {
                  startLine: d.range.start.line + 1,
                  startColumn: d.range.start.character + 1,
                  endLine: d.range.end.line + 1,
                  endColumn: d.range.end.character + 1,
                },
              },
            },
          ],
        })),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
