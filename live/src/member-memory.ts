// Where a cluster's members were, kept between runs: a Patroni member whose agent died leaves
// /cluster while its PostgreSQL may go on taking writes, and a one-shot `hatopo status` started
// after that must still know where to look. Only names and addresses are kept, never credentials.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface RememberedMember {
  /** host:port of its PostgreSQL. */
  address?: string;
  /** Its REST API, without credentials. */
  base?: string;
  /** Since when (ms since epoch) the cluster no longer lists it while its database was not found running. */
  missingSince?: number;
}

export interface MemberMemory {
  /** The members remembered for the cluster named `scope`, or nothing. */
  load(scope: string): Record<string, RememberedMember>;
  save(scope: string, members: Record<string, RememberedMember>): void;
}

/** The folder for state kept between runs: $HATOPO_STATE_DIR, else $XDG_STATE_HOME/hatopo, else ~/.local/state/hatopo; undefined when $HATOPO_STATE_DIR is `off`. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env.HATOPO_STATE_DIR;
  if (own === 'off') return undefined;
  if (own) return own;
  const xdg = env.XDG_STATE_HOME;
  return xdg ? join(xdg, 'hatopo') : join(homedir(), '.local', 'state', 'hatopo');
}

function validMember(v: unknown): v is RememberedMember {
  if (!v || typeof v !== 'object') return false;
  const m = v as Record<string, unknown>;
  return (m.address === undefined || typeof m.address === 'string') && (m.base === undefined || typeof m.base === 'string') && (m.missingSince === undefined || typeof m.missingSince === 'number');
}

/**
 * A memory in `dir`/patroni/, one JSON file per scope. It never fails its caller: a file that
 * cannot be read or written is as if nothing were remembered.
 */
export function fileMemory(dir: string): MemberMemory {
  const folder = join(dir, 'patroni');
  const fileOf = (scope: string) => join(folder, `${createHash('sha256').update(scope).digest('hex').slice(0, 32)}.json`);
  return {
    load(scope) {
      try {
        const data = JSON.parse(readFileSync(fileOf(scope), 'utf8')) as { scope?: unknown; members?: unknown };
        if (data.scope !== scope || !data.members || typeof data.members !== 'object') return {};
        return Object.fromEntries(Object.entries(data.members as Record<string, unknown>).filter((e): e is [string, RememberedMember] => validMember(e[1])));
      } catch {
        return {};
      }
    },
    save(scope, members) {
      try {
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        const file = fileOf(scope);
        const aside = `${file}.${process.pid}.tmp`;
        writeFileSync(aside, JSON.stringify({ scope, members }), { mode: 0o600 });
        renameSync(aside, file);
      } catch {
        // Remembering is a help, not a duty.
      }
    },
  };
}
