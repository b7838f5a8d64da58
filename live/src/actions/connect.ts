// From an endpoint as `hatopo status` and the editor name it to the ActionSpec of an action on it.
import type { EndpointSpec } from '../connect';
import { EndpointError } from '../connect';
import type { ActionKind } from './model';
import type { ActionSpec } from './run';

export interface ActionArguments {
  /** The member to promote, restart or reinitialise; the HAProxy server (`backend/server`). */
  member?: string;
  scheduledAt?: string;
  pendingOnly?: boolean;
  force?: boolean;
  weight?: number;
  /** Deadline of each call to the system. */
  timeoutMs?: number;
}

/** An action spec and the function that closes the connections it keeps. */
export interface PreparedAction {
  spec: ActionSpec;
  close(): Promise<void>;
}

const PATRONI_ACTIONS: readonly ActionKind[] = ['switchover', 'failover', 'pause', 'resume', 'restart', 'reinit', 'cancel-switchover'];

/** The action on the endpoint; an EndpointError when that system has no such action. */
export async function prepareAction(endpoint: EndpointSpec, action: ActionKind, args: ActionArguments, env: NodeJS.ProcessEnv = process.env): Promise<PreparedAction> {
  switch (endpoint.kind) {
    case 'patroni': {
      if (!PATRONI_ACTIONS.includes(action)) break;
      const { patroniActionSpec } = await import('./patroni');
      const spec = patroniActionSpec(action as Parameters<typeof patroniActionSpec>[0], {
        member: args.member,
        scheduledAt: args.scheduledAt,
        pendingOnly: args.pendingOnly,
        force: args.force,
        timeoutMs: args.timeoutMs,
        patroni: { urls: endpoint.urls, ...endpoint.auth, ...(endpoint.tls ? { tls: endpoint.tls } : {}), ...(endpoint.checkWritable ? { postgres: {} } : {}), env },
      });
      return { spec, close: async () => spec.provider.close?.() };
    }
    default:
      break;
  }
  throw new EndpointError(`${action} is not an action of ${endpoint.kind} here`);
}
