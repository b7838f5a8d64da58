import type { PatroniModel } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { addresses, isWildcard } from './connect-address';

export const connectAddressWildcard: Check<PatroniModel> = {
  id: 'patroni/connect-address-wildcard',
  defaultSeverity: 'error',
  docs: {
    title: 'A connect address is a wildcard (0.0.0.0, ::, *)',
    summary:
      '`restapi.connect_address`, `postgresql.connect_address`, `postgresql.proxy_address` and `raft.self_addr` are published in the DCS for the other members, patronictl, HAProxy health checks and clients. A wildcard is only meaningful for `listen`: nobody can connect to `0.0.0.0`, so replicas cannot stream from this member and switchovers fail. Patroni\'s validator rejects it.\n\nPut this member\'s routable IP address or DNS name there; keep the wildcard in `listen`.',
    bad: 'restapi:\n  listen: 0.0.0.0:8008\n  connect_address: 0.0.0.0:8008\n',
    good: 'restapi:\n  listen: 0.0.0.0:8008\n  connect_address: 10.0.0.11:8008\n',
  },
  check(ctx) {
    for (const a of addresses(ctx.model)) {
      if (!isWildcard(a.host)) continue;
      ctx.report({ start: a.start, end: a.end, message: `${a.path.join('.')} uses the wildcard address ${a.host}, which other members cannot connect to; use this member's routable IP or host name (wildcards belong in listen).` });
    }
  },
};
