// The connection a command from the palette acts on: the only one, or the one picked.
import { window } from 'vscode';
import type { Connection, ConnectionManager } from '../live/connections';

export async function pickConnection(manager: ConnectionManager, title: string): Promise<Connection | undefined> {
  const all = manager.connections();
  if (all.length <= 1) return all[0];
  const pick = await window.showQuickPick(
    all.map((c) => ({ label: c.config.name, description: `${c.config.kind} · ${c.config.endpoints[0] ?? c.config.context ?? ''}`, connection: c })),
    { title, placeHolder: 'Cluster' },
  );
  return pick?.connection;
}
