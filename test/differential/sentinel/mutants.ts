/** Seeded, bounded mutants of real config files: one small edit each. */

export interface Mutant {
  base: string;
  kind: 'sentinel' | 'redis';
  operator: string;
  /** 1-based line of the edit in the mutant. */
  line: number;
  text: string;
}


const OPERATORS = ['delete-token', 'misspell', 'number', 'duplicate-line', 'stray-quote', 'hostname', 'master-name'] as const;

export function mutate(base: string, kind: 'sentinel' | 'redis', text: string, random: () => number): Mutant | undefined {
  const lines = text.split('\n');
  const candidates = lines.map((_, i) => i).filter((i) => lines[i].trim() !== '' && !lines[i].trim().startsWith('#'));
  if (candidates.length === 0) return undefined;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const index = pick(candidates);
  const words = lines[index].trim().split(/\s+/);
  const operator = pick(OPERATORS);
  let replacement: string[] | undefined;
  switch (operator) {
    case 'delete-token': {
      if (words.length < 2) return undefined;
      const i = 1 + Math.floor(random() * (words.length - 1));
      replacement = [words.filter((_, j) => j !== i).join(' ')];
      break;
    }
    case 'misspell': {
      const i = words[0] === 'sentinel' && words.length > 1 ? 1 : 0;
      const w = words[i];
      if (w.length < 3) return undefined;
      const at = 1 + Math.floor(random() * (w.length - 2));
      const edits = [w.slice(0, at) + w.slice(at + 1), w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2), w.slice(0, at) + 'x' + w.slice(at)];
      words[i] = pick(edits);
      replacement = [words.join(' ')];
      break;
    }
    case 'number': {
      const numeric = words.map((_, j) => j).filter((j) => j > 0 && /^\d+$/.test(words[j]));
      if (numeric.length === 0) return undefined;
      words[pick(numeric)] = pick(['0', '-1', 'garbage', '99999999999999999999', '1x']);
      replacement = [words.join(' ')];
      break;
    }
    case 'duplicate-line':
      replacement = [lines[index], lines[index]];
      break;
    case 'hostname': {
      const ip = words.findIndex((w) => /^\d+\.\d+\.\d+\.\d+$/.test(w));
      if (ip < 0) return undefined;
      words[ip] = pick(['redis-primary', 'localhost', '10.0.0.300']);
      replacement = [words.join(' ')];
      break;
    }
    case 'master-name':
      if (words[0] !== 'sentinel' || words.length < 3) return undefined;
      words[2] = `${words[2]}X`;
      replacement = [words.join(' ')];
      break;
    case 'stray-quote':
      replacement = [`${lines[index]} "`];
      break;
  }
  const out = [...lines.slice(0, index), ...replacement, ...lines.slice(index + 1)];
  return { base, kind, operator, line: index + (operator === 'duplicate-line' ? 2 : 1), text: out.join('\n') };
}
