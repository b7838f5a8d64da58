import type { PatroniModel } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { addresses, isLoopback } from './connect-address';

export const connectAddressLoopback: Check<PatroniModel> = {
  id: 'patroni/connect-address-loopback',
  defaultSeverity: 'warning',
  docs: {
    title: 'A connect address is a loopback address (127.0.0.1, localhost, ::1)',
    summary:
      'Connect addresses are how the other members reach this one. A loopback address only works when every member runs on the same host — a demo, not a highly available cluster — and `patroni --validate-config` rejects it.\n\nUse this member\'s routable IP address or DNS name.',
    bad: 'postgresql:\n  listen: 127.0.0.1:5432\n  connect_address: 127.0.0.1:5432\n',
    good: 'postgresql:\n  listen: 0.0.0.0:5432\n  connect_address: 10.0.0.11:5432\n',
  },
  check(ctx) {
    for (const a of addresses(ctx.model)) {
      if (!isLoopback(a.host)) continue;
      ctx.report({ start: a.start, end: a.end, message: `${a.path.join('.')} is the loopback address ${a.host}: members on other hosts cannot reach it. Use this member's routable IP or host name.` });
    }
  },
};
