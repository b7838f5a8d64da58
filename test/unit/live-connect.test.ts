// Endpoint words → specs (live/src/connect.ts, live/src/conninfo.ts): parsing, credentials from the
// environment the systems' own tools read, usage errors, and secrets never shown.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EndpointError, describeSpec, parseEndpoints, postgresCredentialsKnown, secretsOf } from '../../live/src/connect';
import type { EndpointSpec, EndpointWords } from '../../live/src/connect';
import { connStringProblem, displayConnString, postgresPasswords, splitConnStrings } from '../../live/src/conninfo';

const none = (_path: string) => false;
const parse = (words: EndpointWords, env: NodeJS.ProcessEnv = {}, exists: (p: string) => boolean = none) => parseEndpoints(words, env, exists);

function fails(words: EndpointWords, message: RegExp, env: NodeJS.ProcessEnv = {}): void {
  assert.throws(() => parse(words, env), (e: unknown) => e instanceof EndpointError && message.test(e.message), JSON.stringify(words));
}

describe('patroni', () => {
  test('URLs are normalised; a comma separates members of one cluster; host:port alone is http', () => {
    const [a, b] = parse({ patroni: ['http://10.0.0.1:8008/', '10.0.0.2,https://pg3.example'] });
    assert.deepEqual(a, { kind: 'patroni', urls: ['http://10.0.0.1:8008'], checkWritable: false });
    assert.deepEqual((b as Extract<EndpointSpec, { kind: 'patroni' }>).urls, ['http://10.0.0.2:8008', 'https://pg3.example:8008']);
  });

  test('credentials: the URL userinfo, else PATRONI_RESTAPI_USERNAME/PASSWORD as patronictl reads them', () => {
    const env = { PATRONI_RESTAPI_USERNAME: 'admin', PATRONI_RESTAPI_PASSWORD: 'env-s3cret' };
    const [fromEnv] = parse({ patroni: ['http://10.0.0.1:8008'] }, env);
    assert.deepEqual((fromEnv as Extract<EndpointSpec, { kind: 'patroni' }>).auth, { username: 'admin', password: 'env-s3cret' });
    const [fromUrl] = parse({ patroni: ['http://u:url-s3cret@10.0.0.1:8008'] }, env);
    assert.equal((fromUrl as Extract<EndpointSpec, { kind: 'patroni' }>).auth, undefined);
    assert.equal(describeSpec(fromUrl), 'patroni http://10.0.0.1:8008');
    assert.deepEqual(secretsOf([fromUrl], env).sort(), ['env-s3cret', 'url-s3cret']);
  });

  test('members are asked whether they accept writes when PostgreSQL credentials are known', () => {
    const spec = (env: NodeJS.ProcessEnv, exists = none) => parse({ patroni: ['http://h:8008'] }, env, exists)[0] as Extract<EndpointSpec, { kind: 'patroni' }>;
    assert.equal(spec({}).checkWritable, false);
    assert.equal(spec({ PGPASSWORD: 'x' }).checkWritable, true);
    assert.equal(spec({ PGUSER: 'postgres' }).checkWritable, true);
    assert.equal(spec({ HOME: '/home/dba' }, (p) => p === '/home/dba/.pgpass').checkWritable, true);
    assert.equal(postgresCredentialsKnown({ PGPASSFILE: '/x' }, none), true);
  });

  test('usage errors name the option and never the password', () => {
    fails({ patroni: ['ftp://u:pw-s3cret@h:2121'] }, /^--patroni takes http:\/\/ or https:\/\/ URLs, not 'ftp:\/\/' \('ftp:\/\/h:2121'\)$/);
    fails({ patroni: ['http://h:8008,'] }, /empty address/);
    fails({ patroni: ['http://[::1'] }, /--patroni takes/);
    for (const bad of [{ patroni: ['ftp://u:pw-s3cret@h:21'] }, { patroni: ['http://u:pw-s3cret@[zz:8008'] }]) {
      try {
        parse(bad);
      } catch (e) {
        assert.ok(!(e as Error).message.includes('pw-s3cret'), (e as Error).message);
      }
    }
  });
});

describe('sentinel', () => {
  test('redis:// with the default port 26379; REDISCLI_AUTH for the Sentinels, HATOPO_REDIS_* for the data nodes', () => {
    const env = { REDISCLI_AUTH: 'sentinel-pw', HATOPO_REDIS_PASSWORD: 'data-pw', HATOPO_REDIS_USERNAME: 'app' };
    const [s] = parse({ sentinel: ['10.0.0.5,redis://10.0.0.6:26380'], master: 'mymaster' }, env);
    assert.deepEqual(s, {
      kind: 'sentinel',
      urls: ['redis://10.0.0.5:26379', 'redis://10.0.0.6:26380'],
      master: 'mymaster',
      auth: { password: 'sentinel-pw' },
      data: { username: 'app', password: 'data-pw' },
    });
    assert.deepEqual(secretsOf([s], env).sort(), ['data-pw', 'sentinel-pw']);
    // A variable no endpoint of the run reads is not masked (a PGPASSWORD of "postgres" would hide the word everywhere).
    assert.deepEqual(secretsOf([s], { ...env, PGPASSWORD: 'postgres' }).sort(), ['data-pw', 'sentinel-pw']);
    const [withUser] = parse({ sentinel: ['rediss://default:url-pw@h:26379'] }, env);
    assert.equal((withUser as Extract<EndpointSpec, { kind: 'sentinel' }>).auth, undefined);
    assert.equal(describeSpec(withUser), 'sentinel rediss://h:26379');
  });

  test('--master needs --sentinel and a name without spaces; other schemes are refused', () => {
    fails({ master: 'mymaster', patroni: ['h'] }, /--master .* give --sentinel/);
    fails({ sentinel: ['h'], master: 'my master' }, /--master takes a master name/);
    fails({ sentinel: ['http://h:26379'] }, /--sentinel takes redis:\/\/ or rediss:\/\/ URLs/);
  });
});

describe('haproxy', () => {
  test('a socket path (made absolute), tcp://, unix://, an http(s) stats page with its credentials', () => {
    const env = { HATOPO_HAPROXY_USERNAME: 'stats', HATOPO_HAPROXY_PASSWORD: 'stats-pw' };
    const specs = parse({ haproxy: ['/run/haproxy/admin.sock', 'admin.sock', 'tcp://127.0.0.1:9999', 'unix:///tmp/x.sock', 'http://10.0.0.9:8404/stats', 'https://u:p-url@h/stats'] }, env);
    assert.deepEqual(
      specs.map((s) => (s.kind === 'haproxy' ? [s.target, s.auth?.password ?? null] : null)),
      [
        ['/run/haproxy/admin.sock', null],
        [`${process.cwd()}/admin.sock`, null],
        ['tcp://127.0.0.1:9999', null],
        ['/tmp/x.sock', null],
        ['http://10.0.0.9:8404/stats', 'stats-pw'],
        ['https://u:p-url@h/stats', null],
      ],
    );
    assert.equal(describeSpec(specs[5]), 'haproxy https://h/stats');
    assert.deepEqual(secretsOf(specs, env).sort(), ['p-url', 'stats-pw']);
  });

  test('host:port without a scheme that is not a file, a list, or another scheme: usage errors', () => {
    fails({ haproxy: ['127.0.0.1:9999'] }, /no socket file '127\.0\.0\.1:9999'; for a TCP stats socket write tcp:\/\/127\.0\.0\.1:9999/);
    fails({ haproxy: ['http://a:1,http://b:2'] }, /one address/);
    fails({ haproxy: ['ftp://h'] }, /not 'ftp:\/\/'/);
    fails({ haproxy: ['tcp://:pw@h:9999'] }, /no password/);
    assert.equal(parseEndpoints({ haproxy: ['127.0.0.1:9999'] }, {}, () => true)[0].kind, 'haproxy');
  });
});

describe('postgres connection strings', () => {
  test('a comma splits only where another connection string starts; libpq host lists stay whole', () => {
    assert.deepEqual(splitConnStrings('host=db1 port=5432,host=db2 port=5433'), ['host=db1 port=5432', 'host=db2 port=5433']);
    assert.deepEqual(splitConnStrings('postgresql://db1:5432/app,postgres://db2/app'), ['postgresql://db1:5432/app', 'postgres://db2/app']);
    assert.deepEqual(splitConnStrings('postgresql://h1:5432,h2:5433/app'), ['postgresql://h1:5432,h2:5433/app']);
    assert.deepEqual(splitConnStrings("host=h1,h2 port=5432 options='-c a=b,c=d'"), ["host=h1,h2 port=5432 options='-c a=b,c=d'"]);
    const [spec] = parse({ postgres: ['host=db1 password=pw1,postgresql://u:pw%232@db2/app'] });
    assert.deepEqual((spec as Extract<EndpointSpec, { kind: 'postgres' }>).connStrings, ['host=db1 password=pw1', 'postgresql://u:pw%232@db2/app']);
    assert.deepEqual(secretsOf([spec], { PGPASSWORD: 'pgpw' }).sort(), ['pgpw', 'pw#2', 'pw%232', 'pw1']);
    assert.equal(describeSpec(spec), 'postgres host=db1 password=***,postgresql://u@db2/app');
  });

  test('passwords found in every form, and hidden when shown', () => {
    assert.deepEqual(postgresPasswords("host=h password='it''s' user=u"), []);
    assert.deepEqual(postgresPasswords("host=h password='a b\\'c' user=u"), ["a b'c"]);
    assert.deepEqual(postgresPasswords('postgresql://u@h/db?password=q%20w'), ['q%20w', 'q w']);
    assert.equal(displayConnString("host=h password='a b' user=u"), 'host=h password=*** user=u');
    assert.equal(displayConnString('postgresql://u:secret@h:5432/db?sslmode=require&password=x'), 'postgresql://u@h:5432/db?sslmode=require&password=***');
  });

  test('what is neither a URI nor key=value is a usage error without its password', () => {
    assert.equal(connStringProblem('host=db1 port=5432'), undefined);
    assert.match(connStringProblem('db1:5432') ?? '', /neither a postgresql:\/\/ URI nor/);
    assert.match(connStringProblem('postgresql://u:pw-s3cret@[bad/db') ?? '', /not a valid postgresql:\/\/ URI/);
    assert.ok(!(connStringProblem('postgresql://u:pw-s3cret@[bad/db') ?? '').includes('pw-s3cret'));
    fails({ postgres: [''] }, /--postgres: an empty connection string/);
    fails({ postgres: ['db1'] }, /--postgres: 'db1' is neither/);
  });
});

describe('kubernetes, TLS and the whole', () => {
  test('context and namespace; --namespace alone is refused', () => {
    assert.deepEqual(parse({ kubeContext: 'prod', namespace: 'db' }), [{ kind: 'kubernetes', context: 'prod', namespace: 'db' }]);
    fails({ namespace: 'db', patroni: ['h'] }, /--namespace goes with --kube-context/);
    fails({ kubeContext: 'prod', namespace: 'Bad_NS' }, /--namespace takes a Kubernetes namespace name/);
    assert.equal(describeSpec(parse({ kubeContext: 'prod' })[0]), 'kubernetes prod');
  });

  test('TLS files must exist and a certificate needs its key; they apply to https and rediss endpoints', () => {
    const exists = (p: string) => p.endsWith('.pem');
    const specs = parseEndpoints({ patroni: ['https://h:8008'], sentinel: ['rediss://h'], haproxy: ['/run/h.sock'], cacert: 'ca.pem', cert: 'c.pem', key: 'k.pem', insecure: true }, {}, exists);
    const tls = { caFile: 'ca.pem', certFile: 'c.pem', keyFile: 'k.pem', verify: false };
    assert.deepEqual(specs.map((s) => ('tls' in s ? s.tls : undefined)), [tls, tls, undefined]);
    assert.throws(() => parseEndpoints({ patroni: ['h'], cacert: 'missing.crt' }, {}, exists), /--cacert: no such file 'missing\.crt'/);
    assert.throws(() => parseEndpoints({ patroni: ['h'], cert: 'c.pem' }, {}, exists), /--cert and --key go together/);
  });

  test('nothing named is a usage error that lists the options', () => {
    fails({}, /no cluster given: --patroni URL, --sentinel redis:\/\/HOST:PORT, --haproxy SOCKET\|URL, --postgres CONNSTRING or --kube-context NAME/);
  });
});
