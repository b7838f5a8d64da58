import type { RedisModel } from '../../documents/redis';
import type { Check } from '../../types';

function syntaxCheck(format: 'sentinel' | 'redis'): Check<RedisModel> {
  return {
    id: `${format}/syntax`,
    defaultSeverity: 'error',
    docs: {
      title: 'Lines Redis cannot split into arguments (unbalanced quotes)',
      summary:
        'Redis splits every line into arguments before it reads it. A quote that is never closed, or a closing quote glued to more text (`"a"b`), ' +
        'makes it stop at startup with "Unbalanced quotes in configuration line". Close the quote, or put a space after it. ' +
        'Inside double quotes `\\n`, `\\t`, `\\"`, `\\\\` and `\\xHH` are escapes; inside single quotes only `\\\'` is.',
      bad: `requirepass "s3cret\n`,
      good: `requirepass "s3cret"\n`,
    },
    check(ctx) {
      for (const e of ctx.model.syntaxErrors) ctx.report({ start: e.start, end: e.end, message: e.message });
    },
  };
}

export const sentinelSyntax = syntaxCheck('sentinel');
export const redisSyntax = syntaxCheck('redis');
