import { REDIS_DIRECTIVES, SENTINEL_DIRECTIVES, redisDirective, sentinelDirective } from '../../documents/redis/catalog';
import type { RedisModel } from '../../documents/redis';
import { lineOf } from '../../documents/redis';
import { sentinelView } from '../../checks/redis/sentinel-rules';
import type { CompletionEntry } from '../../types';
import { SENTINEL_KEYWORD_DOC, redisDirectiveDoc, sentinelDirectiveDoc } from './docs';

const YES_NO = ['yes', 'no'];

/** Completion from the words typed before the cursor on its line. */
export function completeRedis(model: RedisModel, offset: number): CompletionEntry[] {
  const text = model.file.text;
  const lineStart = model.lineStarts[lineOf(model, offset)];
  const before = text.slice(lineStart, offset);
  if (/^\s*#/.test(before)) return [];
  const words = before.replace(/^[ \t]+/, '').split(/[ \t]+/);
  const partial = words[words.length - 1];
  const replace = { start: offset - partial.length, end: offset };
  const index = words.length - 1;
  const first = words[0].toLowerCase();
  if (index === 0) return directives(model, replace);
  if (first === 'sentinel' && model.kind === 'sentinel') {
    if (index === 1) return SENTINEL_DIRECTIVES.map((s) => ({ label: s.name, kind: 'keyword', detail: s.args.map((a) => `<${a}>`).join(' '), documentation: sentinelDirectiveDoc(s), replace, sortText: s.generated ? `1${s.name}` : `0${s.name}` }));
    const spec = sentinelDirective(words[1].toLowerCase());
    if (!spec) return [];
    if (spec.perMaster && index === 2) {
      return [...sentinelView(model).masters.values()].map((m) => ({ label: m.name, kind: 'value', detail: `master ${m.host}:${m.port}, quorum ${m.quorum}`, replace }));
    }
    if (spec.type === 'yesno' && index === 2) return values(YES_NO, replace);
    return [];
  }
  const spec = redisDirective(first);
  if (!spec || index !== 1) return [];
  if (spec.type === 'yesno') return values(YES_NO, replace);
  if (spec.type === 'enum' && spec.values) return values(spec.values, replace);
  return [];
}

function directives(model: RedisModel, replace: { start: number; end: number }): CompletionEntry[] {
  const out: CompletionEntry[] = [];
  if (model.kind === 'sentinel') out.push({ label: 'sentinel', kind: 'keyword', detail: '<directive> ...', documentation: SENTINEL_KEYWORD_DOC, replace, sortText: '0sentinel' });
  for (const d of REDIS_DIRECTIVES) {
    if (d.hidden || d.deprecated) continue;
    out.push({ label: d.name, kind: 'property', detail: d.args, documentation: redisDirectiveDoc(d), replace, sortText: `1${d.name}` });
  }
  return out;
}

function values(list: readonly string[], replace: { start: number; end: number }): CompletionEntry[] {
  return list.map((v) => ({ label: v, kind: 'enum', replace }));
}
