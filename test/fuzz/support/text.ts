import fc from 'fast-check';
import type { FileKind } from '../../../server/src/core';
import { CATALOG } from '../../../server/src/core/documents/haproxy/catalog';
import { SENTINEL_DIRECTIVES, redisDirectiveNames } from '../../../server/src/core/documents/redis/catalog';
import { TRICKY_SCALARS } from '../../helpers/tricky-scalars';
import { kubernetesText, patroniText } from './yaml';

/*
 * Random documents weighted toward each format's syntax: lines built from the catalogs' keywords
 * and directives, values of every shape the readers convert (times, sizes, numbers in odd bases,
 * addresses, quoted strings with escapes), comments, and junk characters that readers trip on.
 */

/** Characters that end words, open strings or escapes, break lines, or are not what they look like. */
const NASTY = [' ', '\t', '"', "'", '\\', '#', ':', '-', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?', '$', '=', '.', '/',
  '\u0000', '\r', '\u000b', '\u00a0', '\ufeff', '\u2028', '\u00e9', '\u{1F600}', '\ud800', '\udc00'];

export const junk: fc.Arbitrary<string> = fc.string({ unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...NASTY) }, { weight: 2, arbitrary: fc.constantFrom(...'abcxyz019_') }), maxLength: 12 });

export const word: fc.Arbitrary<string> = fc.oneof(fc.constantFrom('pg', 'pg1', 'pg_primary', 'mymaster', 'cache', 'redis', 'backend1', 'web', 'stats', 'x', 'a', 'default', 'no'), fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/));

const number: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -5, max: 100_000 }).map(String),
  fc.constantFrom('0', '-1', '00', '0x10', '1e3', '2147483647', '2147483648', '4294967296', '9223372036854775808', '99999999999999999999', '1.5', '+3', '1_000'),
  fc.constantFrom(...TRICKY_SCALARS),
);

const time: fc.Arbitrary<string> = fc.tuple(fc.oneof(fc.nat(100_000).map(String), fc.constantFrom('0', '-1', '1.5', '2147483648', '')), fc.constantFrom('', 'us', 'ms', 's', 'm', 'h', 'd', 'x', 'S', 'sec')).map(([n, u]) => n + u);

const size: fc.Arbitrary<string> = fc.tuple(fc.nat(1 << 20).map(String), fc.constantFrom('', 'k', 'K', 'm', 'g', 'kb', 'mb', 'gb', 'b', 't', 'x')).map(([n, u]) => n + u);

const address: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('10.0.0.1', '127.0.0.1', '0.0.0.0', '::1', '[::1]', '*', '', 'pg1.example.com', 'localhost', 'unix@/run/x.sock', 'ipv4@10.0.0.2', '${HOST}', '256.1.1.1'), fc.constantFrom('', ':5432', ':8008', ':6379', ':26379', ':0', ':65536', ':5000-5010', ':-1', ':x')).map(([h, p]) => h + p),
  fc.ipV4(),
);

function quoted(inner: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom('"', "'"), inner, fc.boolean()).map(([q, s, closed]) => q + s + (closed ? q : ''));
}

const escape = fc.constantFrom('\\x41', '\\x4', '\\xZZ', '\\n', '\\t', '\\"', "\\'", '\\\\', '\\ ', '\\', '\\#', '\\u00e9', '\\r');
const escaped: fc.Arbitrary<string> = fc.array(fc.oneof(word, escape, junk), { maxLength: 4 }).map((a) => a.join(''));

/** An argument of a keyword or directive line. */
const argument: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: word },
  { weight: 3, arbitrary: number },
  { weight: 2, arbitrary: time },
  { weight: 1, arbitrary: size },
  { weight: 3, arbitrary: address },
  { weight: 2, arbitrary: quoted(escaped) },
  { weight: 1, arbitrary: escaped },
  { weight: 1, arbitrary: fc.constantFrom('yes', 'no', 'YES', 'on', 'off', 'true', '""', "''", '#', '# comment', '\\', '"${VAR}"', '/primary', '/replica', '/health', 'OPTIONS', 'GET') },
  { weight: 1, arbitrary: junk },
);

const indent: fc.Arbitrary<string> = fc.oneof({ weight: 6, arbitrary: fc.constant('    ') }, { weight: 1, arbitrary: fc.constantFrom('', '  ', '\t', ' \t', '        ') });
const comment: fc.Arbitrary<string> = fc.oneof(fc.constant(''), fc.constant(''), fc.tuple(fc.constantFrom(' ', '', '\t'), junk).map(([s, j]) => `${s}#${j}`));
const args = (max: number) => fc.array(argument, { maxLength: max });
const spaced = (parts: string[]) => parts.filter((p) => p !== '').join(' ');

// HAProxy -----------------------------------------------------------------------------------

const HAPROXY_SECTIONS = Object.keys(CATALOG.sectionHeaders);
const HAPROXY_KEYWORDS = [...new Set([...Object.keys(CATALOG.proxy), ...Object.values(CATALOG.sections).flatMap((s) => Object.keys(s)), ...Object.keys(CATALOG.removed)])].sort();
const SERVER_OPTIONS = [...Object.keys(CATALOG.server), ...Object.keys(CATALOG.bind)].sort();

const haproxyHeader = fc.tuple(fc.constantFrom(...HAPROXY_SECTIONS, 'defaults', 'backend', 'listen', 'frontend'), fc.option(word), fc.option(fc.tuple(fc.constant('from'), word)), comment).map(
  ([s, name, from, c]) => spaced([s, name ?? '', from ? from.join(' ') : '']) + c,
);

const serverOption = fc.tuple(fc.constantFrom(...SERVER_OPTIONS), fc.array(argument, { maxLength: 2 })).map(([o, v]) => spaced([o, ...v]));

const haproxyServer = fc.tuple(indent, fc.constantFrom('server', 'default-server', 'server-template', 'bind'), word, address, fc.array(serverOption, { maxLength: 5 }), comment).map(
  ([i, kw, name, addr, opts, c]) => i + spaced(kw === 'default-server' ? [kw, ...opts] : kw === 'bind' ? [kw, addr, ...opts] : [kw, name, addr, ...opts]) + c,
);

const haproxyKeyword = fc.tuple(indent, fc.option(fc.constantFrom('no', 'default'), { freq: 8 }), fc.constantFrom(...HAPROXY_KEYWORDS), args(4), comment).map(([i, p, kw, a, c]) => i + spaced([p ?? '', kw, ...a]) + c);

const haproxyHa = fc.constantFrom(
  '    option httpchk OPTIONS /primary', '    option httpchk GET /replica', '    http-check expect status 200', '    option tcp-check', '    mode tcp', '    mode http',
  '    default-server inter 3s fall 3 rise 2 on-marked-down shutdown-sessions', '    balance roundrobin', '    default_backend pg', '    use_backend pg if TRUE',
  '    timeout connect 5s', '    timeout client 30m', '    timeout server 30m', '    timeout check 2s', '    maxconn 100', '    stats enable', '    stats uri /',
);

const haproxyDirective = fc.tuple(fc.constantFrom('.if', '.elif', '.else', '.endif', '.diag', '.notice', '.warning', '.alert', '.if version_atleast(2.8)', '.if !version_before(3.0)', '.if feature(QUIC)', '.if defined(X)'), args(1)).map(([d, a]) => spaced([d, ...a]));

const haproxyLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: haproxyHeader },
  { weight: 8, arbitrary: haproxyKeyword },
  { weight: 4, arbitrary: haproxyServer },
  { weight: 4, arbitrary: haproxyHa },
  { weight: 1, arbitrary: haproxyDirective },
  { weight: 1, arbitrary: comment.map((c) => c || '#') },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: junk },
);

// Redis and Sentinel ---------------------------------------------------------------------------

const REDIS_NAMES = redisDirectiveNames().sort();
const SENTINEL_SUBS = SENTINEL_DIRECTIVES.map((d) => d.name);
const master = fc.constantFrom('mymaster', 'cache', 'm2', 'MyMaster', '"my master"', '');

const redisDirective = fc.tuple(fc.constantFrom('', ' ', '\t'), fc.oneof(fc.constantFrom(...REDIS_NAMES), fc.constantFrom(...REDIS_NAMES).map((n) => n.toUpperCase())), args(3), comment).map(([i, d, a, c]) => i + spaced([d, ...a]) + c);

const sentinelDirective = fc.tuple(fc.constantFrom('sentinel', 'SENTINEL', 'Sentinel'), fc.constantFrom(...SENTINEL_SUBS), master, args(4), comment).map(([s, sub, m, a, c]) => spaced([s, sub, m, ...a]) + c);

const sentinelMonitor = fc.tuple(master, address, fc.oneof(fc.nat(70_000).map(String), number), fc.oneof(fc.integer({ min: -1, max: 7 }).map(String), number)).map(([m, host, port, q]) => spaced(['sentinel monitor', m, host.replace(/:\d*$/, ''), port, q]));

const redisLine = (sentinel: boolean): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: redisDirective },
    { weight: sentinel ? 6 : 1, arbitrary: sentinelDirective },
    { weight: sentinel ? 3 : 0, arbitrary: sentinelMonitor },
    { weight: 1, arbitrary: comment.map((c) => c || '#') },
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: junk },
  );

// Documents ------------------------------------------------------------------------------------

/** How lines are joined: mostly LF, sometimes CRLF or CR, and with or without a final line break. */
const joiner = fc.record({ eol: fc.constantFrom('\n', '\n', '\n', '\n', '\r\n', '\r'), final: fc.boolean() });

function linesText(line: fc.Arbitrary<string>, maxLines: number): fc.Arbitrary<string> {
  return fc.tuple(fc.array(line, { maxLength: maxLines, size: 'medium' }), joiner).map(([lines, { eol, final }]) => lines.join(eol) + (final && lines.length ? eol : ''));
}

/** A random document of `kind`, up to a few KB; `maxLines` bounds line-based formats. */
export function textOf(kind: FileKind, maxLines = 120): fc.Arbitrary<string> {
  switch (kind) {
    case 'haproxy':
      return linesText(haproxyLine, maxLines);
    case 'sentinel':
      return linesText(redisLine(true), maxLines);
    case 'redis':
      return linesText(redisLine(false), maxLines);
    case 'patroni':
      return patroniText;
    case 'kubernetes':
      return kubernetesText;
  }
}

/** A text of any shape: the formats' lines mixed, YAML, or junk — for a kind other than its own. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  textOf('haproxy', 30),
  textOf('sentinel', 30),
  patroniText,
  kubernetesText,
  fc.string({ maxLength: 200 }),
  fc.array(junk, { maxLength: 40 }).map((a) => a.join('')),
);

/** Where a long run of one piece of text goes: a value, a block, a line of each format. */
const RUN_PLACES: Record<FileKind, readonly ((run: string) => string)[]> = {
  patroni: [(r) => `scope: x\nname: ${r}\n`, (r) => `scope: x\nbootstrap:\n  dcs:\n    ${r}\n`, (r) => r],
  kubernetes: [
    (r) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: ${r}\n`,
    (r) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: x\nspec:\n  ${r}\n`,
    (r) => `apiVersion: v1\nkind: ConfigMap\n${r}`,
  ],
  sentinel: [(r) => `sentinel monitor m 127.0.0.1 6379 2\nsentinel down-after-milliseconds m ${r}\n`, (r) => `sentinel monitor m 127.0.0.1 6379 2\n${r}\n`],
  redis: [(r) => `port 6379\nreplicaof ${r}\n`, (r) => `port 6379\n${r}\n`],
  haproxy: [(r) => `global\n  log ${r}\n`, (r) => `backend b\n  server s ${r}\n`, (r) => `backend b\n${r}\n`],
};

/** Pieces whose long runs once made a path slower than linear, and others of the same family. */
const RUN_PIECES = ['[', '{', ',', '${', '[{', '{a: ', '[a, ', '? [', '{?', '- ', 'a: ', '"', "'", '\\', '#', ':', '&a ', '*a ', '!t ', '|\n', 'x\n ', '\u00e9', ' ', '\t', '\r'];

/**
 * One piece of text repeated to tens of thousands of characters, on one line or one per line, in
 * one of the places of `kind`: inputs where a path slower than linear shows at once.
 */
export function longRunOf(kind: FileKind): fc.Arbitrary<string> {
  const piece = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...RUN_PIECES) }, { weight: 1, arbitrary: junk.filter((j) => j.length > 0) }, { weight: 1, arbitrary: word });
  return fc
    .tuple(fc.constantFrom(...RUN_PLACES[kind]), piece, fc.integer({ min: 30_000, max: 60_000 }), fc.boolean())
    .map(([place, p, chars, lines]) => place(lines ? `${p}\n`.repeat(Math.ceil(chars / (p.length + 1))) : p.repeat(Math.ceil(chars / p.length))));
}
