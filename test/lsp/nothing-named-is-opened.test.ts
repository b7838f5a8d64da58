// `hatopo check` and the language server read the configs given them, never the files, scripts and
// URLs those configs name: a canary folder outside the checked one must never be touched (strace),
// and a loopback HTTP server named as an address and as a schema's $ref must see no connection.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type * as lsp from 'vscode-languageserver-protocol';
import { CLI, LspClient } from '../helpers/lsp-client';

const hasStrace = spawnSync('strace', ['-V']).status === 0;
const noStrace = !hasStrace && 'strace is not installed (Debian package strace)';
/** Every system call that takes a path, and every one of the network. */
const TRACE = ['-f', '-qq', '-e', 'trace=%file,%network'];

const dir = mkdtempSync(join(tmpdir(), 'hatopo-outside-'));
const canary = join(dir, `canary-${process.pid}`);
const checked = join(dir, 'checked');
let connections = 0;
const http = createServer((_req, res) => res.end('{}'));
http.on('connection', () => connections++);
let port = 0;

function configs(c: string, url: string, p: number): Record<string, string> {
  const r = `../${basename(c)}`;
  return {
    'haproxy.cfg': `global
    lua-load ${c}/script.lua
    ca-base ${c}
    crt-base ${c}
    server-state-file ${c}/state
    stats socket ${c}/admin.sock mode 600 level admin

defaults
    mode http
    timeout connect 5s
    timeout client 30m
    timeout server 30m
    errorfile 503 ${c}/503.http

frontend fe
    bind :8443 ssl crt ${c}/cert.pem ca-file ${r}/ca.pem crt-list ${c}/list.txt
    default_backend be

backend be
    option httpchk
    http-check send meth GET uri ${url}/health
    server s1 127.0.0.1:${p} check ssl ca-file ${c}/ca.pem crt ${c}/cert.pem
`,
    'redis.conf': `port 6379
include ${c}/include.conf
loadmodule ${c}/module.so
tls-cert-file ${c}/cert.pem
tls-ca-cert-file ${r}/ca.pem
aclfile ${c}/users.acl
dir ${c}
replicaof 127.0.0.1 ${p}
`,
    'sentinel.conf': `port 26379
sentinel monitor m 127.0.0.1 ${p} 2
sentinel down-after-milliseconds m 5000
sentinel notification-script m ${c}/notify.sh
sentinel client-reconfig-script m ${r}/reconfig.sh
`,
    'patroni.yml': `scope: demo
name: pg1
restapi:
  listen: 127.0.0.1:${p}
  connect_address: 127.0.0.1:${p}
  certfile: ${c}/cert.pem
  keyfile: ${c}/key.pem
  cafile: ${r}/ca.pem
etcd3:
  hosts: 127.0.0.1:${p}
  cacert: ${c}/ca.pem
bootstrap:
  dcs:
    ttl: 30
    loop_wait: 10
    retry_timeout: 10
  post_bootstrap: ${c}/post.sh
postgresql:
  listen: 127.0.0.1:5432
  connect_address: 127.0.0.1:5432
  data_dir: ${c}/data
  config_dir: ${c}
  pgpass: ${c}/pgpass
  custom_conf: ${c}/custom.conf
  callbacks:
    on_start: ${c}/callback.sh
    on_role_change: ${r}/callback.sh
  authentication:
    superuser:
      username: postgres
`,
    'gadget-crd.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  names:
    kind: Gadget
    plural: gadgets
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          $schema: ${url}/meta-schema.json
          type: object
          properties:
            spec:
              $ref: ${url}/spec.json
            extra:
              $ref: ${pathToFileURL(join(c, 'schema.json')).href}
`,
    'gadget.yaml': `apiVersion: example.com/v1
kind: Gadget
metadata:
  name: g
spec:
  size: 3
extra: {}
`,
    'pod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: c
      image: ${url.replace('http://', '')}/image:1
      volumeMounts:
        - name: secrets
          mountPath: /etc/secrets
  volumes:
    - name: secrets
      hostPath:
        path: ${c}
`,
  };
}

before(async () => {
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  port = (http.address() as AddressInfo).port;
  mkdirSync(canary, { recursive: true });
  // The canary holds every file the configs name, so that a reader would find them.
  for (const name of ['script.lua', 'state', '503.http', 'cert.pem', 'key.pem', 'ca.pem', 'list.txt', 'include.conf', 'module.so', 'users.acl', 'notify.sh', 'reconfig.sh', 'post.sh', 'pgpass', 'custom.conf', 'callback.sh', 'schema.json']) {
    writeFileSync(join(canary, name), name.endsWith('.json') ? '{"type":"object"}' : 'canary\n');
  }
  mkdirSync(join(canary, 'data'));
  mkdirSync(checked);
  for (const [name, text] of Object.entries(configs(canary, `http://127.0.0.1:${port}`, port))) writeFileSync(join(checked, name), text);
});
after(() => {
  http.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a program to its end without blocking this process, whose HTTP server must stay able to accept. */
function run(program: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    }),
  );
}

/** The lines of an strace log that touch the canary or the network. */
function outsideAccess(log: string): string[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes(basename(canary)) || /AF_INET6?\b/.test(l));
}

describe('nothing a config names is opened, nothing is connected to', () => {
  test('control: the trace and the server see a program that reads the canary and connects', { skip: noStrace }, async () => {
    const log = join(dir, 'control.strace');
    const script = `require('fs').readFileSync(${JSON.stringify(join(canary, 'cert.pem'))}); require('http').get('http://127.0.0.1:${port}/', (r) => r.resume());`;
    const r = await run('strace', [...TRACE, '-o', log, process.execPath, '-e', script]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(outsideAccess(log).some((l) => l.includes('cert.pem')));
    assert.ok(outsideAccess(log).some((l) => /connect\(.*AF_INET/.test(l)));
    assert.equal(connections, 1);
    connections = 0;
  });

  test('hatopo check', { skip: noStrace }, async () => {
    const log = join(dir, 'check.strace');
    const r = await run('strace', [...TRACE, '-o', log, process.execPath, CLI, 'check', checked]);
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`\\(${readdirSync(checked).length} files checked\\)`));
    assert.match(readFileSync(log, 'utf8'), /checked\/haproxy\.cfg/, 'the trace follows the reads of hatopo');
    assert.deepEqual(outsideAccess(log), []);
    assert.equal(connections, 0);
  });

  test('the language server over stdio: workspace scan, diagnostics, hover, completion, code actions, symbols', { skip: noStrace }, async () => {
    const log = join(dir, 'lsp.strace');
    const client = new LspClient({ pull: false, program: 'strace', command: [...TRACE, '-o', log, process.execPath, CLI, 'lsp', '--stdio'], workspaceFolders: [pathToFileURL(checked).href] });
    try {
      await client.initialize();
      for (const name of readdirSync(checked).sort()) {
        const uri = pathToFileURL(join(checked, name)).href;
        const text = readFileSync(join(checked, name), 'utf8');
        await client.open(uri, text);
        await client.pushed(uri, 30_000);
        const lines = text.split('\n');
        for (let line = 0; line < lines.length; line++) {
          const position = { line, character: Math.max(0, lines[line].length - 3) };
          await client.request<lsp.Hover | null>('textDocument/hover', { textDocument: { uri }, position });
          await client.request('textDocument/completion', { textDocument: { uri }, position });
        }
        const end = { line: lines.length, character: 0 };
        await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics: [] } });
        await client.request('textDocument/documentSymbol', { textDocument: { uri } });
      }
    } finally {
      await client.shutdown();
    }
    assert.match(readFileSync(log, 'utf8'), /checked\/gadget-crd\.yaml/, 'the trace follows the workspace scan');
    assert.deepEqual(outsideAccess(log), []);
    assert.equal(connections, 0);
  });

  test('without strace, the loopback server still sees no connection from hatopo check', { skip: hasStrace && 'covered above, with strace' }, async () => {
    const r = await run(process.execPath, [CLI, 'check', checked]);
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.equal(connections, 0);
  });
});
