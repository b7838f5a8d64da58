// Real VS Code for the e2e suite: code-server (installed by scripts/e2e-setup.sh) serving a scratch
// workspace on a free loopback port, with the packaged extension installed from its .vsix.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Dirent } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = resolve(__dirname, '..', '..');
const CODE_SERVER_VERSION = '4.100.3';

export interface E2eInstall {
  codeServer: string;
  /** Where `require('playwright-core')` resolves. */
  playwright: string;
}

/** The install scripts/e2e-setup.sh made, or undefined when it has not run. */
export function findE2eInstall(): E2eInstall | undefined {
  const cache = process.env.HATOPO_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hatopo', 'e2e');
  const dir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  if (!existsSync(join(dir, '.installed')) || !existsSync('/usr/bin/chromium')) return undefined;
  return { codeServer: join(dir, 'node_modules', '.bin', 'code-server'), playwright: join(dir, 'node_modules', 'playwright-core') };
}

/** Why the e2e tests cannot run here, or false. */
export function e2eSkipReason(): string | false {
  if (!findE2eInstall()) return 'code-server or Chromium missing: run scripts/e2e-setup.sh';
  if (!existsSync(join(REPO, 'dist', 'client.js'))) return 'dist/ missing: run npm run build';
  return false;
}

/** `vsce package` of the working tree (dist/ as built) into `outDir`. */
export async function packageExtension(outDir: string): Promise<string> {
  const vsix = join(outDir, 'ha-topology.vsix');
  const vsce = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  await run(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '-o', vsix], { cwd: REPO, timeout: 60_000 });
  return vsix;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/** Settings that keep the workbench quiet and offline; the tests add their own. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.minimap.enabled': false,
};

export interface CodeServer {
  /** The workbench URL with the scratch workspace open. */
  url: string;
  /** The scratch copy of the workspace (code-server saves edits into it). */
  workspace: string;
  userDataDir: string;
  /** What code-server printed, for failure messages. */
  output(): string;
  /** Stops code-server and its helpers (extension host, language server) and removes the scratch folders. */
  stop(): Promise<void>;
}

/**
 * Starts code-server on a free loopback port over a scratch copy of `workspace`, with the extension
 * packaged from the working tree. Everything it starts is in one process group, stopped by its id.
 */
/**
 * `env`: variables for code-server and what it starts (its extension host, the language server).
 * `workspaceTrust`: keep Workspace Trust on (the folder then opens in Restricted Mode).
 */
export async function startCodeServer(install: E2eInstall, workspace: string, settings: Record<string, unknown> = {}, env: Record<string, string> = {}, options: { workspaceTrust?: boolean } = {}): Promise<CodeServer> {
  const root = mkdtempSync(join(tmpdir(), 'hatopo-e2e-'));
  const scratch = join(root, 'workspace');
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  cpSync(workspace, scratch, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));

  let child: ChildProcess | undefined;
  let log = '';
  const stop = async () => {
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((ok) => child!.once('exit', () => ok()));
      killGroup(child.pid, 'SIGTERM');
      const timer = new Promise<boolean>((ok) => setTimeout(() => ok(false), 5000).unref());
      if ((await Promise.race([exited.then(() => true), timer])) === false) killGroup(child.pid, 'SIGKILL');
    }
    // Helpers (extension host, language server) can outlive the main process by a moment.
    if (child?.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    process.removeListener('exit', onExit);
    rmSync(root, { recursive: true, force: true });
  };
  // The last resort, when the test process ends before `stop` has finished.
  const onExit = () => {
    if (child?.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
  process.on('exit', onExit);

  try {
    // HATOPO_E2E_VSIX runs the suite against another build (an older one, to see a test fail).
    const vsix = process.env.HATOPO_E2E_VSIX ?? (await packageExtension(root));
    await run(install.codeServer, ['--extensions-dir', extensionsDir, '--install-extension', vsix], { timeout: 60_000 });
    const port = await freePort();
    child = spawn(
      install.codeServer,
      ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check', ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']), scratch],
      // Its own process group, so that stopping it reaches every helper it starts.
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HATOPO_CODE_CACHE: 'off', ...env } },
    );
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await waitForHttp(`http://127.0.0.1:${port}/`, child, 30_000);
    return { url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(scratch)}`, workspace: scratch, userDataDir, output: () => log, stop };
  } catch (err) {
    await stop();
    throw new Error(`${String(err)}\n${log}`);
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode}`);
    try {
      await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
}

/** The text of an extension's output channel, as the extension host logged it to disk. */
export function outputChannelText(userDataDir: string, channel: string): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      // `<n>-<name>.log` for plain channels, `<extension id>/<name>.log` for log channels.
      else if (entry.name === `${channel}.log` || entry.name.endsWith(`-${channel}.log`)) found.push(readFileSync(p, 'utf8'));
    }
  };
  walk(join(userDataDir, 'logs'));
  return found.join('\n');
}
