// `hatopo check`: validates files and directories as one workspace and reports in text, JSON or SARIF.
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { version } from '../../../package.json';
import { ENGINE_DIAGNOSTICS, SKIP_FOLDERS, createEngine, defaultCodeCacheDir, isAnalysisFailure, useCodeCache } from '../../../server/src/core';
import { HAPROXY_VERSIONS, checkHaproxyVersion, loadSettings } from '../config';
import { ENDPOINT_ENVIRONMENT, ENDPOINT_OPTIONS, hasEndpoints, maskedOutput } from '../endpoint-options';
import { liveRequest, readLive } from '../live-snapshot';
import { secretsOf } from '../../../live/src/connect';
import { collectFiles } from '../files';
import type { InputFile } from '../files';
import type { FileKind } from '../../../server/src/core';
import type { Output } from '../output';
import type { FileDiagnostic } from '../report';
import { formatJson, formatSarif, formatText, sortDiagnostics, toFileDiagnostic } from '../report';
import type { CommandSpec } from '../usage';
import { UsageError, parseCommand } from '../usage';
import type { Command } from './command';

const FORMATS = ['text', 'json', 'sarif'] as const;
const KIND_NAMES: Record<FileKind, string> = {
  patroni: 'Patroni configuration',
  sentinel: 'Sentinel configuration',
  redis: 'redis.conf',
  haproxy: 'HAProxy configuration',
  kubernetes: 'Kubernetes manifest',
};
type Format = (typeof FORMATS)[number];

const spec = {
  name: 'check',
  summary: 'validate files; directories are walked and form one workspace',
  synopsis: '[options] PATH...',
  description:
    'Checks every recognised Patroni, Redis Sentinel, redis.conf, HAProxy and Kubernetes file among\n' +
    "the PATHs ('.' for the current directory). Directories are walked, skipping hidden folders and\n" +
    `${[...SKIP_FOLDERS].filter((n) => !n.startsWith('.')).join(', ')}. Everything found forms one workspace, so cross-file checks see it all.`,
  options: {
    format: { type: 'string', placeholder: 'text|json|sarif', description: 'output format (default: text)' },
    config: {
      type: 'string',
      placeholder: 'FILE',
      description:
        'settings as JSON: {"checks": {"patroni/timing": "error"|"warning"|\n"information"|"hint"|"off"}, "haproxy": {"version": "2.6"},\n"files": {"associations": {"*.cfg": "haproxy"}}}',
    },
    'haproxy-version': {
      type: 'string',
      placeholder: 'X.Y',
      description: `HAProxy version whose keywords apply: ${HAPROXY_VERSIONS.join(', ')}\n(default ${HAPROXY_VERSIONS[0]}, or the config's)`,
    },
    'no-color': { type: 'boolean', description: 'plain text output (also when NO_COLOR is set)' },
    live: { type: 'boolean', description: 'read the clusters named by the options below once, then check\nthe files against them too (the live/ drift checks)' },
    ...ENDPOINT_OPTIONS,
  },
  positionals: true,
  epilog:
    'Exit status: 0 no error-severity diagnostic, 1 at least one, 2 bad usage or input that\n' +
    'could not be read: a path named, the --config file, or a file found under a directory (a FIFO,\n' +
    'a device, a socket, a file without read permission; the other files are still checked), or\n' +
    'a file, or a document in it, that hatopo did not analyse (hatopo/internal-error,\n' +
    'hatopo/not-validated). With --live, also a cluster that could not be read.\n\n' +
    'Example: hatopo check --live --patroni http://10.0.0.1:8008 --haproxy /run/haproxy/admin.sock .\n\n' +
    ENDPOINT_ENVIRONMENT,
} as const satisfies CommandSpec;

/** Where the bundle's docs/checks/ is: dist/hatopo.js → <package>/docs/checks/. */
function docsBase(): string {
  return pathToFileURL(join(dirname(__filename), '..', 'docs', 'checks')).href + '/';
}

async function run(args: string[], rawIo: Output): Promise<number> {
  const { values, positionals: paths } = parseCommand(spec, args);
  if (!values.live && (hasEndpoints(values) || values.timeout !== undefined)) throw new UsageError('the cluster options (--patroni, --sentinel, --haproxy, --postgres, --kube-context, --timeout...) go with --live', 'check');
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`, 'check');
  if (values['haproxy-version'] !== undefined) checkHaproxyVersion(values['haproxy-version'], '--haproxy-version');
  if (paths.length === 0) throw new UsageError("no file or directory given (use '.' for the current directory)", 'check');
  const settings = loadSettings(values.config, values['haproxy-version']);
  const live = values.live ? liveRequest(values) : undefined;
  // Everything this run writes is masked with the secrets of the clusters it reads.
  const secrets = live ? secretsOf(live.specs) : [];
  const io = secrets.length ? maskedOutput(rawIo, secrets) : rawIo;
  const { files, notChecked } = collectFiles(paths);
  for (const n of notChecked) io.err(`hatopo: ${n.path}: ${n.why}; not checked\n`);

  useCodeCache(defaultCodeCacheDir());
  const engine = createEngine({
    logger: { info: () => undefined, error: (m) => io.err(`hatopo: internal error: ${m}\n`) },
    docsBase: docsBase(),
  });
  const uriOf = (f: InputFile) => pathToFileURL(resolve(f.path)).href;
  const pathOf = new Map(files.map((f) => [uriOf(f), f.path]));
  // All files found form one workspace: cross-file checks (a PDB in another manifest) see them all.
  for (const f of files) engine.setWorkspaceFile(uriOf(f), f.text, settings, { keep: true, encoding: f.encoding });
  // The clusters are read once, after the files (which say where members live): the snapshot is an input like them.
  const liveRead = live ? await readLive(live, io, engine.workspace().liveTargets?.() ?? []) : undefined;
  if (liveRead) engine.setLiveState(liveRead.snapshot);
  const diags: FileDiagnostic[] = [];
  let checked = 0;
  // A file named on the command line that is not checked fails the run: it was asked for.
  let namedNotChecked = false;
  for (const f of files) {
    const uri = uriOf(f);
    const detected = engine.detect(uri, f.text, settings);
    if (!detected?.confirmed) {
      if (f.explicit) {
        const why = detected
          ? `named like a ${KIND_NAMES[detected.kind]}, but its content is not one (its top-level keys are not ${KIND_NAMES[detected.kind]} keys)`
          : 'not a recognised Patroni, Sentinel, Redis, HAProxy or Kubernetes file';
        io.err(`hatopo: ${f.path}: ${why}; not checked (map it with --config files.associations)\n`);
        namedNotChecked = true;
      }
      continue;
    }
    checked++;
    for (const d of engine.validate({ uri, text: f.text, encoding: f.encoding }, settings)) diags.push(toFileDiagnostic(d, (u) => pathOf.get(u)));
  }
  const sorted = sortDiagnostics(diags);
  const formatted: Record<Format, () => string> = {
    text: () => formatText(sorted, checked, values['no-color'] !== true && io.isTTY && !process.env.NO_COLOR),
    json: () => formatJson(sorted),
    sarif: () => formatSarif(sorted, [...engine.checks(), ...ENGINE_DIAGNOSTICS], version, docsBase()),
  };
  io.out(formatted[format as Format]());
  // A file found that could not be read, or a file (or document) not analysed, may hide errors: the run cannot pass.
  if (namedNotChecked || notChecked.some((n) => n.fails) || sorted.some((d) => isAnalysisFailure(d.code)) || liveRead?.unreadable) return 2;
  return sorted.some((d) => d.severity === 'error') ? 1 : 0;
}

export const check: Command = { spec, run };
