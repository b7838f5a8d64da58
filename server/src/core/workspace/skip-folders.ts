/**
 * Folders no walk of a workspace enters: version control, dependencies and build output hold
 * copies of configs (or thousands of unrelated files) that would drown the user's own.
 */
export const SKIP_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', 'vendor', '.cache']);

/** True for an entry a walk passes over: hidden names and the folders of SKIP_FOLDERS. */
export function isSkippedName(name: string): boolean {
  return name.startsWith('.') || SKIP_FOLDERS.has(name);
}
