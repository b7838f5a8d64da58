import type { PatroniModel } from '../../documents/yaml/patroni';
import type { Check } from '../../types';

export const duplicateKey: Check<PatroniModel> = {
  id: 'patroni/duplicate-key',
  defaultSeverity: 'warning',
  docs: {
    title: 'A key appears twice in the same mapping',
    summary:
      'Patroni reads its file with PyYAML, which keeps the last of two equal keys and silently drops the first. A repeated section such as `postgresql:` usually means half of the settings are ignored.\n\nMerge the two entries into one.',
    bad: 'postgresql:\n  data_dir: /data\npostgresql:\n  listen: 0.0.0.0:5432\n',
    good: 'postgresql:\n  data_dir: /data\n  listen: 0.0.0.0:5432\n',
  },
  check(ctx) {
    for (const doc of ctx.model.yaml.documents) {
      for (const e of doc.errors) {
        if (e.code !== 'DUPLICATE_KEY') continue;
        ctx.report({ start: e.start, end: Math.max(e.end, e.start + 1), message: 'This key is repeated in the same mapping; Patroni keeps only the last one. Merge the entries into one.' });
      }
    }
  },
};
