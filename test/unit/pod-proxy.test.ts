// Patroni's REST API through the Kubernetes API server's pod proxy: the URLs, the RBAC verbs, the
// API server's refusals in words, and the Patroni provider and actions sending every call through
// a transport (a fake one here, answering as Patroni and the API server would).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HttpOptions, HttpResponse } from '../../live/src/http';
import { patroniActionSpec } from '../../live/src/actions/patroni';
import { PATRONI_REST, parsePodProxyUrl, podPortOf, podProxyBase, podProxyFailure, proxyVerb } from '../../live/src/kubernetes/pod-proxy';
import type { PatroniTransport } from '../../live/src/providers/patroni';
import { patroniProvider } from '../../live/src/providers/patroni';

const SERVER = 'https://10.0.0.1:6443';
const answer = (status: number, body: unknown): HttpResponse => ({ status, headers: {}, body: typeof body === 'string' ? body : JSON.stringify(body) });
const apiStatus = (code: number, reason: string, message: string) => answer(code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

describe('pod proxy URLs', () => {
  test('the base of a pod, http and https, the server path prefix kept, names encoded', () => {
    assert.equal(podProxyBase(SERVER, 'db', 'acid-main-0'), 'https://10.0.0.1:6443/api/v1/namespaces/db/pods/acid-main-0:8008/proxy');
    assert.equal(podProxyBase(`${SERVER}/`, 'db', 'acid-main-0', { scheme: 'https', port: 8008 }), 'https://10.0.0.1:6443/api/v1/namespaces/db/pods/https:acid-main-0:8008/proxy');
    assert.equal(podProxyBase('https://rancher.example/k8s/clusters/c-x', 'db', 'p', PATRONI_REST), 'https://rancher.example/k8s/clusters/c-x/api/v1/namespaces/db/pods/p:8008/proxy');
    assert.equal(podProxyBase(SERVER, 'db', 'a b'), 'https://10.0.0.1:6443/api/v1/namespaces/db/pods/a%20b:8008/proxy');
  });

  test('a proxy URL read back: namespace, pod, scheme, port and the pod path', () => {
    assert.deepEqual(parsePodProxyUrl(`${podProxyBase(SERVER, 'db', 'acid-main-1')}/switchover`), { namespace: 'db', pod: 'acid-main-1', scheme: 'http', port: 8008, path: '/switchover' });
    assert.deepEqual(parsePodProxyUrl(`${podProxyBase(SERVER, 'db', 'p', { scheme: 'https', port: 8443 })}`), { namespace: 'db', pod: 'p', scheme: 'https', port: 8443, path: '/' });
    assert.equal(parsePodProxyUrl('http://10.0.0.5:8008/cluster'), undefined);
    assert.equal(parsePodProxyUrl('not a url'), undefined);
  });

  test("a member's scheme and port from the api_url Patroni publishes; Spilo's http:8008 without one", () => {
    assert.deepEqual(podPortOf('http://10.244.1.14:8008/patroni'), { scheme: 'http', port: 8008 });
    assert.deepEqual(podPortOf('https://10.244.1.14:8443/patroni'), { scheme: 'https', port: 8443 });
    assert.deepEqual(podPortOf('10.244.1.14:8009'), { scheme: 'http', port: 8009 });
    assert.deepEqual(podPortOf('https://pod/patroni'), { scheme: 'https', port: 443 });
    assert.deepEqual(podPortOf(undefined), PATRONI_REST);
    assert.deepEqual(podPortOf('ftp://x:1/'), PATRONI_REST);
  });

  test('the RBAC verb of each method on pods/proxy', () => {
    assert.deepEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].map(proxyVerb), ['get', 'create', 'update', 'patch', 'delete', 'get']);
  });
});

describe("the API server's refusals, told from the pod's own answers", () => {
  const url = `${podProxyBase(SERVER, 'db', 'acid-main-0')}/switchover`;
  test('403 names the verb, pods/proxy and the namespace, and quotes the API server', () => {
    const e = podProxyFailure(url, 'POST', apiStatus(403, 'Forbidden', 'pods "acid-main-0" is forbidden: User "alice" cannot create resource "pods/proxy" in API group "" in the namespace "db"'), '10.0.0.1:6443');
    assert.ok(e);
    assert.equal(e.code, 'EAUTH');
    assert.match(e.message, /^forbidden \(403\) at 10\.0\.0\.1:6443: RBAC does not let the user create pods\/proxy in namespace db, which POST \/switchover on db\/acid-main-0/);
    assert.match(e.message, /kubectl auth can-i create pods\/proxy -n db/);
    assert.match(e.message, /User "alice" cannot create resource "pods\/proxy"/);
    assert.match(podProxyFailure(url, 'PATCH', apiStatus(403, 'Forbidden', 'x'), 'h')?.message ?? '', /may not|not let the user patch pods\/proxy/);
  });

  test('401, 404 and an unreachable pod in plain words', () => {
    assert.match(podProxyFailure(url, 'GET', apiStatus(401, 'Unauthorized', 'Unauthorized'), 'h')?.message ?? '', /^authentication failed \(401 Unauthorized\) at h: the user's token or certificate was refused$/);
    assert.equal(podProxyFailure(url, 'GET', apiStatus(404, 'NotFound', 'pods "acid-main-0" not found'), 'h')?.message, 'pods "acid-main-0" not found (404 at h)');
    const down = podProxyFailure(url, 'GET', apiStatus(503, 'ServiceUnavailable', 'error trying to reach service: dial tcp 10.244.1.14:8008: connect: connection refused'), 'h');
    assert.equal(down?.message, 'the API server could not reach db/acid-main-0 port 8008 (503 ServiceUnavailable): error trying to reach service: dial tcp 10.244.1.14:8008: connect: connection refused');
  });

  test("Patroni's own answers pass, whatever their status; secrets in the API server's words are masked", () => {
    assert.equal(podProxyFailure(url, 'POST', answer(412, 'candidate name does not match with sync_standby'), 'h'), undefined);
    assert.equal(podProxyFailure(url, 'GET', answer(503, { state: 'stopped', role: 'replica' }), 'h'), undefined);
    assert.equal(podProxyFailure(url, 'POST', answer(401, 'no auth header received'), 'h'), undefined);
    assert.equal(podProxyFailure(url, 'GET', answer(200, { kind: 'Status' }), 'h'), undefined);
    assert.doesNotMatch(podProxyFailure(url, 'GET', apiStatus(500, 'InternalError', 'token s3cr3t rejected'), 'h', ['s3cr3t'])?.message ?? '', /s3cr3t/);
  });
});

/** A transport that answers as Patroni would through the proxy, recording every request. */
function fakeProxy(answers: (path: string, method: string, pod: string) => HttpResponse): PatroniTransport & { seen: Array<{ url: string; method: string; auth: boolean; body?: string }> } {
  const seen: Array<{ url: string; method: string; auth: boolean; body?: string }> = [];
  return {
    label: 'kube-context lab pods/proxy db/acid-main',
    base: (member, apiUrl) => podProxyBase(SERVER, 'db', member, podPortOf(apiUrl)),
    carriesBasicAuth: false,
    seen,
    send: async (url: string, o: HttpOptions) => {
      seen.push({ url, method: o.method ?? 'GET', auth: o.username !== undefined || o.password !== undefined, body: o.body });
      const p = parsePodProxyUrl(url);
      if (!p) throw new Error(`not through the proxy: ${url}`);
      return answers(p.path, o.method ?? 'GET', p.pod);
    },
  };
}

const CLUSTER = {
  scope: 'acid-main',
  members: [
    { name: 'acid-main-0', role: 'leader', state: 'running', api_url: 'http://10.244.1.14:8008/patroni', host: '10.244.1.14', port: 5432, timeline: 2 },
    { name: 'acid-main-1', role: 'replica', state: 'streaming', api_url: 'http://10.244.2.15:8008/patroni', host: '10.244.2.15', port: 5432, timeline: 2, lag: 0 },
  ],
};

const patroni = (path: string, _method?: string, pod?: string): HttpResponse => {
  if (path === '/cluster') return answer(200, CLUSTER);
  const common = { state: 'running', timeline: 2, patroni: { version: '3.0.2', scope: 'acid-main' } };
  if (path === '/patroni' && pod === 'acid-main-0')
    return answer(200, { ...common, role: 'master', xlog: { location: 100 }, replication: [{ usename: 'standby', application_name: 'acid-main-1', client_addr: '10.244.2.15', state: 'streaming', sync_state: 'async', sync_priority: 0 }] });
  if (path === '/patroni') return answer(200, { ...common, role: 'replica', xlog: { received_location: 100, replayed_location: 100, paused: false } });
  if (path === '/history') return answer(200, [[1, 100, 'no recovery target specified', '2025-04-25T20:50:00+00:00', 'acid-main-0']]);
  if (path === '/config') return answer(200, { ttl: 30, loop_wait: 10, maximum_lag_on_failover: 1048576 });
  return answer(404, '');
};

describe('Patroni through a transport', () => {
  test('the provider asks every member through the pod of its name, never at its api_url, with no basic auth', async () => {
    const via = fakeProxy(patroni);
    const provider = patroniProvider({ urls: [via.base('acid-main-0')], username: 'patroni', password: 'pw', via });
    assert.equal(provider.source, 'kube-context lab pods/proxy db/acid-main');
    const [s] = await provider.read({ timeoutMs: 2000 });
    assert.equal(s.error, undefined);
    assert.equal(s.leader, 'acid-main-0');
    assert.deepEqual(s.members.map((m) => m.name), ['acid-main-0', 'acid-main-1']);
    const paths = via.seen.map((r) => new URL(r.url).pathname).sort();
    assert.ok(paths.includes('/api/v1/namespaces/db/pods/acid-main-0:8008/proxy/cluster'));
    assert.ok(paths.includes('/api/v1/namespaces/db/pods/acid-main-1:8008/proxy/patroni'));
    assert.ok(via.seen.every((r) => !r.auth), 'basic auth is not handed to the relay');
    await provider.close?.();
  });

  test("a switchover is POSTed to the leader's pod; a 401 from Patroni says the proxy cannot pass credentials", async () => {
    let refuse = false;
    const via = fakeProxy((path, method, pod) => (method === 'POST' ? (refuse ? answer(401, 'no auth header received') : answer(200, 'Successfully switched over to "acid-main-1"')) : patroni(path, method, pod)));
    const spec = patroniActionSpec('switchover', { member: 'acid-main-1', patroni: { urls: [via.base('acid-main-0')], via } });
    const before = await spec.read();
    const p = spec.preflight(before);
    assert.ok(p.ok, JSON.stringify(p));
    assert.equal(await spec.perform(before, p), 'Successfully switched over to "acid-main-1"');
    const post = via.seen.find((r) => r.method === 'POST');
    assert.equal(post?.url, `${SERVER}/api/v1/namespaces/db/pods/acid-main-0:8008/proxy/switchover`);
    assert.deepEqual(JSON.parse(post?.body ?? ''), { leader: 'acid-main-0', candidate: 'acid-main-1' });
    refuse = true;
    await assert.rejects(spec.perform(before, p), /no auth header received \(401\): this Patroni wants a username and password \(restapi\.authentication\), and kube-context lab pods\/proxy db\/acid-main cannot pass them on/);
    await spec.provider.close?.();
  });

  test("pause is a PATCH /config and restart a POST to the member's own pod", async () => {
    const via = fakeProxy((path, method, pod) => (method === 'GET' ? patroni(path, method, pod) : answer(200, method === 'PATCH' ? { pause: true } : 'restarted successfully')));
    const pause = patroniActionSpec('pause', { patroni: { urls: [via.base('acid-main-0')], via } });
    const s = await pause.read();
    await pause.perform(s, pause.preflight(s));
    assert.deepEqual(via.seen.filter((r) => r.method !== 'GET').map((r) => [r.method, new URL(r.url).pathname, r.body]), [['PATCH', '/api/v1/namespaces/db/pods/acid-main-0:8008/proxy/config', '{"pause":true}']]);
    const restart = patroniActionSpec('restart', { member: 'acid-main-1', patroni: { urls: [via.base('acid-main-0')], via } });
    via.seen.length = 0;
    await restart.perform(s, restart.preflight(s));
    assert.deepEqual(via.seen.filter((r) => r.method !== 'GET').map((r) => [r.method, new URL(r.url).pathname]), [['POST', '/api/v1/namespaces/db/pods/acid-main-1:8008/proxy/restart']]);
    await Promise.all([pause.provider.close?.(), restart.provider.close?.()]);
  });
});
