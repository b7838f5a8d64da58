// The refresh cost measured in a process of its own, from code bundled by esbuild as the extension
// is (the bench's own process runs TypeScript through a loader and holds the labs' handles, neither
// of which an extension host has). Reads a job (the labs' endpoints, which connections, the windows)
// from the JSON file named by its argument; prints one line of JSON: the RefreshCost, or an error.
import { readFileSync } from 'node:fs';
import type { LabEndpoints, RefreshCost } from './live-refresh';
import { connections, refreshCost } from './live-refresh';

export interface MeterJob {
  endpoints: LabEndpoints;
  /** One kind's connections only; all of them when unset. */
  kind?: string;
  /** Patroni connections without PostgreSQL credentials. */
  restOnly?: boolean;
  windowMs: number;
  warmupMs: number;
  windows: number;
}

export type MeterAnswer = { cost: RefreshCost } | { error: string };

async function main(): Promise<void> {
  const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as MeterJob;
  const list = connections(job.endpoints, !job.restOnly).filter((c) => job.kind === undefined || c.kind === job.kind);
  if (!list.length) throw new Error(`no connection of kind ${job.kind}`);
  const cost = await refreshCost(list, job.windowMs, job.warmupMs, job.windows);
  process.stdout.write(`${JSON.stringify({ cost } satisfies MeterAnswer)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: (e as Error).message } satisfies MeterAnswer)}\n`);
    process.exit(1);
  },
);
