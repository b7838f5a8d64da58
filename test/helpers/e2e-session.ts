// One e2e session per test file: code-server over a scratch copy of test/e2e/workspace, the
// extension packaged from the working tree, and Chromium showing the workbench. Torn down by the
// test's `after` hook, on SIGINT/SIGTERM, and at a hard time limit whatever the tests do.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findE2eInstall, REPO, startCodeServer } from './code-server';
import type { CodeServer } from './code-server';
import { Workbench } from './workbench';

export { e2eSkipReason, outputChannelText } from './code-server';
export { total } from './workbench';
export type { Problems } from './workbench';

const WORKSPACE = join(REPO, 'test', 'e2e', 'workspace');
/** Screenshots of each run; the ones README shows are copied to docs/screenshots by hand. */
export const SCREENSHOTS = join(REPO, 'test', '.tmp', 'e2e-screenshots');
const HARD_LIMIT_MS = Number(process.env.HATOPO_E2E_TIME_LIMIT_MS ?? 5 * 60_000);

export interface Session {
  server: CodeServer;
  workbench: Workbench;
  screenshot(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** `options.workspace`: another folder to copy and open; `options.workspaceTrust`: open it in Restricted Mode. */
export async function startSession(settings: Record<string, unknown> = {}, env: Record<string, string> = {}, options: { workspace?: string; workspaceTrust?: boolean } = {}): Promise<Session> {
  const install = findE2eInstall();
  if (!install) throw new Error('run scripts/e2e-setup.sh first');
  const server = await startCodeServer(install, options.workspace ?? WORKSPACE, settings, env, { workspaceTrust: options.workspaceTrust });
  let workbench: Workbench | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearTimeout(limit);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      try {
        await workbench?.close();
      } finally {
        await server.stop();
      }
    })());
  const onSignal = () => void stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const limit = setTimeout(() => {
    console.error(`e2e: hard time limit of ${HARD_LIMIT_MS} ms reached; stopping code-server`);
    void stop().finally(() => process.exit(1));
  }, HARD_LIMIT_MS);
  limit.unref();
  try {
    workbench = await Workbench.open(install, server.url);
  } catch (err) {
    await stop();
    throw new Error(`${String(err)}\ncode-server said:\n${server.output()}`);
  }
  const wb = workbench;
  return {
    server,
    workbench: wb,
    stop,
    screenshot: async (name) => {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await wb.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    },
  };
}
