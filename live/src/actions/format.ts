// The pre-flight and the result as a person reads them in a terminal or an output channel.
import type { ActionResult, Preflight } from './model';

const WORDS: Record<Preflight['action'], string> = {
  switchover: 'switchover',
  failover: 'failover',
  pause: 'pause (maintenance mode)',
  resume: 'resume (end maintenance mode)',
  restart: 'restart',
  reinit: 'reinitialise',
  'cancel-switchover': 'cancel the scheduled switchover',
  'sentinel-failover': 'Sentinel failover',
  'sentinel-reset': 'Sentinel reset',
  drain: 'drain',
  maint: 'maintenance (MAINT)',
  ready: 'ready',
  weight: 'weight',
  promote: 'promote',
  fence: 'fence',
  unfence: 'unfence',
};

export function actionWords(action: Preflight['action']): string {
  return WORDS[action];
}

/** The pre-flight: the verdict, the cluster-wide reasons, and every candidate with its reasons and facts. */
export function formatPreflight(p: Preflight): string {
  const lines: string[] = [];
  const who = p.primary ? `, ${p.primary} leads` : ', no leader';
  lines.push(`${actionWords(p.action)} of ${p.kind} cluster ${p.cluster}${who}${p.target ? `; target ${p.target}` : ''}`);
  lines.push(`pre-flight: ${p.ok ? 'passed' : 'REFUSED'}`);
  for (const b of p.blockers) lines.push(`  ✗ ${b}`);
  for (const w of p.warnings) lines.push(`  ! ${w}`);
  if (p.candidates.length) {
    lines.push('candidates:');
    for (const c of p.candidates) {
      const mark = c.safe ? '✓' : '✗';
      const chosen = c.member === p.target ? ' (target)' : '';
      lines.push(`  ${mark} ${c.member}${chosen}: ${c.safe ? 'safe' : 'refused'}${c.notes.length ? ` — ${c.notes.join(', ')}` : ''}`);
      for (const r of c.reasons) lines.push(`      ${r}`);
    }
  }
  if (p.force) lines.push(`force is possible: ${p.force}`);
  return `${lines.join('\n')}\n`;
}

/** The outcome in one line, with the time it took. */
export function formatResult(r: ActionResult): string {
  const took = `${(r.durationMs / 1000).toFixed(1)} s`;
  const head: Record<ActionResult['outcome'], string> = { done: 'done', refused: 'refused', failed: 'FAILED', timeout: 'NOT CONFIRMED', cancelled: 'cancelled', 'dry-run': 'dry run' };
  return `${head[r.outcome]} (${took}): ${r.message}\n`;
}
