// "Set Credentials…": a user name and a password for a cluster, asked in a password box and kept in
// the editor's secret storage — never in settings, logs or output. The cluster reconnects with them
// (the store announces the change).
import type { ExtensionContext } from 'vscode';
import { commands, window } from 'vscode';
import type { SystemKind } from '../../../live/src/model';
import type { Connection, ConnectionManager } from '../live/connections';
import type { CredentialPart, CredentialStore } from '../live/credentials';
import type { ClusterTreeNode } from '../views/tree-items';
import { pickConnection } from './pick-connection';

interface Part {
  part: CredentialPart;
  label: string;
  detail: string;
  /** The user name suggested when none is stored. */
  user?: (c: Connection) => string | undefined;
}

/** What each kind of cluster can be given credentials for. */
const PARTS: Record<SystemKind, Part[]> = {
  patroni: [
    { part: 'database', label: 'PostgreSQL', detail: 'A database user every member accepts: the split-brain check asks each member whether it is in recovery.', user: (c) => c.usernames?.database ?? 'postgres' },
    { part: 'api', label: 'REST API', detail: 'restapi.authentication, when the REST API asks for it.', user: (c) => c.usernames?.api },
  ],
  sentinel: [
    { part: 'api', label: 'Sentinel', detail: "The Sentinels' own password (requirepass of sentinel.conf) and ACL user if any." },
    { part: 'database', label: 'Redis data nodes', detail: 'The masters and replicas (masterauth / requirepass), to read INFO replication.' },
  ],
  haproxy: [{ part: 'api', label: 'Stats page', detail: 'The stats page user (stats auth); a stats socket needs none.', user: (c) => c.usernames?.api }],
  postgres: [{ part: 'database', label: 'PostgreSQL', detail: 'A user every server accepts (pg_monitor is enough).', user: () => 'postgres' }],
  kubernetes: [],
};

export function registerSetCredentials(context: ExtensionContext, manager: ConnectionManager, store: CredentialStore): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.setCredentials', async (node?: ClusterTreeNode) => {
      const connection = node && 'view' in node ? node.view.connection : await pickConnection(manager, 'Set credentials for');
      if (!connection) {
        void window.showInformationMessage('Connect to a cluster first; then set its credentials.');
        return;
      }
      const parts = PARTS[connection.config.kind];
      if (parts.length === 0) {
        void window.showInformationMessage('Kubernetes clusters are reached with the credentials of your kubeconfig.');
        return;
      }
      const part = parts.length === 1 ? parts[0] : (await window.showQuickPick(parts.map((p) => ({ ...p, description: p.part === 'api' ? 'API' : 'database' })), { title: `Credentials for ${connection.config.name}`, placeHolder: 'For what' }));
      if (!part) return;
      const stored = (await store.get(connection.id))?.[part.part];
      const username = await window.showInputBox({
        title: `${part.label} user for ${connection.config.name}`,
        prompt: 'User name (empty for none)',
        value: stored?.username ?? part.user?.(connection) ?? '',
        ignoreFocusOut: true,
      });
      if (username === undefined) return;
      const password = await window.showInputBox({
        title: `${part.label} password for ${connection.config.name}`,
        prompt: 'Kept in the secret storage of the editor, never in settings or logs.',
        password: true,
        ignoreFocusOut: true,
      });
      if (password === undefined) return;
      await store.setPart(connection.id, part.part, { ...(username.trim() ? { username: username.trim() } : {}), ...(password ? { password } : {}) });
      void window.setStatusBarMessage(`HA Topology: credentials of ${connection.config.name} saved`, 3000);
    }),
  );
}
