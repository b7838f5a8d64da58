// "Open Config": the file and line of the workspace that define a member (or a cluster), as the
// language server knows them from every parsed config; failing that, where the cluster was found.
import type { ExtensionContext } from 'vscode';
import { commands, Range, Selection, TextEditorRevealType, Uri, window, workspace } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ClusterTreeNode } from '../views/tree-items';

interface Location {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

async function askServer(client: LanguageClient, query: { kind: string; cluster: string; member?: string }): Promise<Location[]> {
  try {
    const found = await client.sendRequest<Location[] | null>('hatopo/memberLocations', query);
    return Array.isArray(found) ? found : [];
  } catch {
    // An older server, or one restarting: fall back to what discovery saw.
    return [];
  }
}

async function show(uri: Uri, range: Range): Promise<void> {
  const editor = await window.showTextDocument(await workspace.openTextDocument(uri), { preview: true });
  editor.selection = new Selection(range.start, range.end);
  editor.revealRange(range, TextEditorRevealType.InCenterIfOutsideViewport);
}

export function registerOpenConfig(context: ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    commands.registerCommand('hatopo.openConfig', async (node?: ClusterTreeNode) => {
      if (!node || !('state' in node) || !node.state) return;
      const member = node.kind === 'member' ? node.member.name : undefined;
      const found = await askServer(client, { kind: node.state.kind, cluster: node.state.name, ...(member !== undefined ? { member } : {}) });
      if (found.length) {
        const { start, end } = found[0].range;
        await show(Uri.parse(found[0].uri), new Range(start.line, start.character, end.line, end.character));
        return;
      }
      const places = node.view.connection.foundAt ?? [];
      for (const place of places) {
        const doc = await workspace.openTextDocument(Uri.file(place.path)).then(
          (d) => d,
          () => undefined,
        );
        // A member's own file names it (`name: pg1`); the cluster's is any file that describes it.
        if (!doc || (member !== undefined && !new RegExp(`^name:\\s*["']?${member.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*$`, 'm').test(doc.getText()))) continue;
        await show(doc.uri, new Range(place.line, 0, place.line, 0));
        return;
      }
      void window.showInformationMessage(member !== undefined ? `No file of this workspace defines ${member} of ${node.state.name}.` : `No file of this workspace defines ${node.state.name}.`);
    }),
  );
}
