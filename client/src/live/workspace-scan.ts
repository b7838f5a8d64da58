// Finds the clusters the workspace's files describe. Only in a trusted workspace: in Restricted
// Mode no file is read for this, so a cloned repository cannot make the editor contact its hosts.
import type { CancellationToken } from 'vscode';
import { workspace } from 'vscode';
import type { Candidate, DiscoveryFile } from '../../../live/src/discovery';
import { discoverClusters } from '../../../live/src/discovery';
import { SKIP_FOLDERS } from '../../../server/src/core/workspace/skip-folders';

/** The files that can describe a cluster: Patroni YAML, Sentinel and HAProxy configs. */
export const CANDIDATE_GLOB = '**/*.{yml,yaml,conf,cfg}';
const EXCLUDE = `**/{${[...SKIP_FOLDERS].join(',')}}/**`;
/** Enough for a repository of HA configs; a monorepo's thousands of YAML files are not all read. */
const MAX_FILES = 500;
const MAX_BYTES = 512 * 1024;

/** Candidates from the workspace's files; none when the workspace is not trusted. */
export async function scanWorkspace(token?: CancellationToken): Promise<Candidate[]> {
  if (!workspace.isTrusted || !workspace.workspaceFolders?.length) return [];
  const uris = await workspace.findFiles(CANDIDATE_GLOB, EXCLUDE, MAX_FILES, token);
  const files: DiscoveryFile[] = [];
  const decoder = new TextDecoder('utf-8');
  await Promise.all(
    uris.map(async (uri) => {
      try {
        const stat = await workspace.fs.stat(uri);
        if (stat.size > MAX_BYTES) return;
        files.push({ path: uri.fsPath, text: decoder.decode(await workspace.fs.readFile(uri)) });
      } catch {
        // Gone or unreadable since it was listed: it offers nothing.
      }
    }),
  );
  if (token?.isCancellationRequested) return [];
  // Found in a stable order, whatever order the reads ended in.
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return discoverClusters(files);
}

/** Candidates of one open document (for the status bar: which cluster the active file describes). */
export function candidatesOfText(path: string, text: string): Candidate[] {
  if (!workspace.isTrusted) return [];
  return discoverClusters([{ path, text }]);
}
