// Renders docs/checks/<id>.md and docs/checks/README.md from the check registry, so the
// documentation a diagnostic links to can never drift from the check itself.
import { haproxyChecks } from '../server/src/core/checks/haproxy';
import { kubernetesChecks } from '../server/src/core/checks/kubernetes';
import { patroniChecks } from '../server/src/core/checks/patroni';
import { redisChecks, sentinelChecks } from '../server/src/core/checks/redis';
import type { EngineDiagnosticInfo } from '../server/src/core/engine/engine-diagnostics';
import { ENGINE_DIAGNOSTICS } from '../server/src/core/engine/engine-diagnostics';
import { SEVERITIES } from '../server/src/core/settings';
import type { Check } from '../server/src/core/types';

const FORMATS: Array<{ name: string; lang: string; sample: string; checks: readonly Check<never>[] }> = [
  { name: 'Patroni', lang: 'yaml', sample: 'patroni.yml', checks: patroniChecks as readonly Check<never>[] },
  { name: 'Redis Sentinel', lang: 'conf', sample: 'sentinel.conf', checks: sentinelChecks as readonly Check<never>[] },
  { name: 'redis.conf', lang: 'conf', sample: 'redis.conf', checks: redisChecks as readonly Check<never>[] },
  { name: 'HAProxy', lang: 'haproxy', sample: 'haproxy.cfg', checks: haproxyChecks as readonly Check<never>[] },
  { name: 'Kubernetes', lang: 'yaml', sample: 'manifest.yaml', checks: kubernetesChecks as readonly Check<never>[] },
];

const SEVERITY: Record<string, string> = { error: 'error', warning: 'warning', information: 'information', hint: 'hint' };

function fence(lang: string, body: string): string {
  return '```' + lang + '\n' + body.replace(/\n+$/, '') + '\n```';
}

function page(check: Check<never>, formats: string[], lang: string): string {
  const parts = [
    `# ${check.id}`,
    `**${check.docs.title}**`,
    `Default severity: ${SEVERITY[check.defaultSeverity]} · Applies to: ${formats.join(', ')}`,
    check.docs.summary.trim(),
  ];
  if (check.docs.bad) parts.push('## Triggers it', fence(lang, check.docs.bad));
  if (check.docs.good) parts.push('## Does not', fence(lang, check.docs.good));
  parts.push(
    '## Configure',
    [
      'Change the severity or turn the check off in settings (VS Code `hatopo.checks`, or the JSON file given to `hatopo check --config`):',
      '',
      fence('json', `{ "checks": { "${check.id}": "off" } }`),
      '',
      'or silence one occurrence with a comment on the line before it:',
      '',
      fence('text', `# hatopo-disable-next-line ${check.id}`),
    ].join('\n'),
  );
  return parts.join('\n\n') + '\n';
}

/** The page of a diagnostic the engine itself gives: no example, and nothing to configure. */
function enginePage(d: EngineDiagnosticInfo): string {
  const parts = [
    `# ${d.id}`,
    `**${d.title}**`,
    `Severity: ${SEVERITY[d.defaultSeverity]} · Applies to: every file`,
    d.summary.trim(),
    '## Configure',
    'It cannot be turned off or silenced with a comment: a result that misses a file, or part of one, says so.',
  ];
  return parts.join('\n\n') + '\n';
}

/** path (relative to docs/checks) → content */
export function renderCheckDocs(): Map<string, string> {
  const byId = new Map<string, { check: Check<never>; formats: string[]; lang: string }>();
  for (const f of FORMATS) {
    for (const c of f.checks) {
      const entry = byId.get(c.id);
      if (entry) entry.formats.push(f.name);
      else byId.set(c.id, { check: c, formats: [f.name], lang: f.lang });
    }
  }
  const out = new Map<string, string>();
  const rows: string[] = [];
  for (const [id, { check, formats, lang }] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
    out.set(`${id}.md`, page(check, formats, lang));
    rows.push(`| [${id}](${id}.md) | ${check.docs.title.replace(/\|/g, '\\|')} | ${check.defaultSeverity} | ${formats.join(', ')} |`);
  }
  for (const d of ENGINE_DIAGNOSTICS) {
    out.set(`${d.id}.md`, enginePage(d));
    rows.push(`| [${d.id}](${d.id}.md) | ${d.title.replace(/\|/g, '\\|')} | ${d.defaultSeverity} | every file; cannot be turned off |`);
  }
  out.set(
    'README.md',
    [
      '# Checks',
      '',
      'Every diagnostic carries one of these ids as its code. Severities can be changed per check with',
      '`hatopo.checks` (or `hatopo check --config FILE`), and a single occurrence can be silenced with',
      '`# hatopo-disable-next-line <id>` on the line before it (`# hatopo-disable-file <id>` for a whole file).',
      '',
      '| id | finds | default | formats |',
      '|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
  return out;
}

/**
 * The `hatopo.checks` setting of package.json: one property per check id, with its title and
 * default severity, so VS Code completes the ids in settings.json and flags one it does not know.
 */
export function checksSettingSchema(): Record<string, unknown> {
  const byId = new Map<string, Check<never>>();
  for (const f of FORMATS) for (const c of f.checks) if (!byId.has(c.id)) byId.set(c.id, c);
  const properties: Record<string, unknown> = {};
  for (const id of [...byId.keys()].sort()) {
    const c = byId.get(id)!;
    properties[id] = { type: 'string', enum: [...SEVERITIES], markdownDescription: `${c.docs.title}. Default: \`${c.defaultSeverity}\`.` };
  }
  return {
    type: 'object',
    scope: 'resource',
    default: {},
    markdownDescription:
      'Severity per check, overriding its default: `{"patroni/timing": "error"}`. Values: `error`, `warning`, `information`, `hint`, `off`. Check ids are the codes shown with each problem; each links to its documentation.',
    properties,
    additionalProperties: false,
  };
}
