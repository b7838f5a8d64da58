import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { version } from '../../package.json';
import { createEngine, defaultCodeCacheDir, readSettings, useCodeCache } from '../../server/src/core';
import type { EngineSettings } from '../../server/src/core';
import { UsageError, collectFiles } from './files';
import type { FileDiagnostic } from './report';
import { formatJson, formatSarif, formatText, sortDiagnostics } from './report';

const HELP = `hatopo ${version} — HA Topology: checks for Patroni, Redis Sentinel and HAProxy configs

Usage:
  hatopo check [options] PATH...   validate files; directories are walked and form one workspace
  hatopo lsp --stdio               run the language server over stdin/stdout (any LSP editor)
  hatopo --help | --version

check options:
  --format text|json|sarif         output format (default: text)
  --config FILE                    settings as JSON: {"checks": {"patroni/timing": "error"|"warning"|
                                   "information"|"off"}, "haproxy": {"version": "2.6"},
                                   "files": {"associations": {"*.cfg": "haproxy"}}}
  --haproxy-version X.Y            HAProxy version whose keywords apply (default 2.6)
  --no-color                       plain text output

Exit status: 0 no error-severity diagnostic, 1 at least one, 2 bad usage or unreadable input.
`;

function docsBase(): string {
  // dist/hatopo.js → <package>/docs/checks/
  return pathToFileURL(join(dirname(__filename), '..', 'docs', 'checks')).href + '/';
}

function takeValue(args: string[], i: number, flag: string): string {
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return v;
}

function loadConfig(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config ${path} is not valid JSON: ${(err as Error).message}`);
  }
}

function runCheck(args: string[]): number {
  let format = 'text';
  let raw: Record<string, unknown> = {};
  let haproxyVersion: string | undefined;
  let color = process.stdout.isTTY === true && !process.env.NO_COLOR;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a.startsWith('--format=')) {
      format = a.includes('=') ? a.slice(a.indexOf('=') + 1) : takeValue(args, i++, a);
      if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
    } else if (a === '--config') {
      const v = loadConfig(takeValue(args, i++, a));
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError('the config file must hold a JSON object');
      raw = v as Record<string, unknown>;
    } else if (a === '--haproxy-version') {
      haproxyVersion = takeValue(args, i++, a);
      if (!/^\d+\.\d+$/.test(haproxyVersion)) throw new UsageError(`--haproxy-version takes X.Y, e.g. 2.6, not '${haproxyVersion}'`);
    } else if (a === '--no-color') {
      color = false;
    } else if (a === '--') {
      paths.push(...args.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a} for check`);
    } else {
      paths.push(a);
    }
  }
  if (paths.length === 0) throw new UsageError('check needs at least one file or directory');
  const problems: string[] = [];
  const settings: EngineSettings = readSettings(raw, (m) => problems.push(m));
  if (problems.length) throw new UsageError(`invalid config: ${problems.join('; ')}`);
  if (haproxyVersion) settings.haproxy.version = haproxyVersion;

  useCodeCache(defaultCodeCacheDir());
  const engine = createEngine({
    logger: { info: () => undefined, error: (m) => process.stderr.write(`hatopo: internal error: ${m}\n`) },
    docsBase: docsBase(),
  });
  const files = collectFiles(paths);
  // All files found form one workspace: cross-file checks (a PDB in another manifest) see them all.
  for (const f of files) engine.setWorkspaceFile(pathToFileURL(resolve(f.path)).href, f.text, settings, { keep: true });
  const diags: FileDiagnostic[] = [];
  let checked = 0;
  for (const f of files) {
    const uri = pathToFileURL(resolve(f.path)).href;
    if (!engine.detectKind(uri, f.text, settings)) {
      if (f.explicit) process.stderr.write(`hatopo: ${f.path}: not a recognised Patroni, Sentinel, Redis, HAProxy or Kubernetes file; skipped (see --config files.associations)\n`);
      continue;
    }
    checked++;
    for (const d of engine.validate({ uri, text: f.text }, settings)) diags.push({ ...d, path: f.path });
  }
  const sorted = sortDiagnostics(diags);
  if (format === 'json') process.stdout.write(formatJson(sorted));
  else if (format === 'sarif') process.stdout.write(formatSarif(sorted, engine.checks(), version, docsBase()));
  else process.stdout.write(formatText(sorted, checked, color));
  return sorted.some((d) => d.severity === 'error') ? 1 : 0;
}

function runLsp(args: string[]): number | undefined {
  if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
    throw new UsageError('lsp needs a transport: --stdio (or --node-ipc, --socket=PORT, --pipe=NAME)');
  }
  // The language server is its own bundle beside this one (dist/server.js); loading it only here
  // keeps `hatopo check` from paying for the protocol libraries. It reads the transport from argv.
  const serverBundle = join(dirname(__filename), 'server.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a runtime path, not a module to bundle
  require(serverBundle);
  return undefined; // keeps running until the client exits
}

export function main(argv: string[]): number | undefined {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  switch (command) {
    case 'check':
      return runCheck(rest);
    case 'lsp':
      return runLsp(rest);
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

try {
  const code = main(process.argv.slice(2));
  if (code !== undefined) process.exitCode = code;
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`hatopo: ${err.message}\nRun 'hatopo --help' for usage.\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`hatopo: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  }
}
