import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { pyyamlTypeOf } from '../../../server/src/core/documents/yaml/pyyaml-schema';
import { TRICKY_KEYS, TRICKY_SCALARS } from '../../helpers/tricky-scalars';
import type { Tree } from './yaml-render';
import { renderDocument, renderStream } from './yaml-render';

/*
 * YAML documents for the Patroni and Kubernetes properties: trees drawn from the formats' own JSON
 * schemas (so the checks find the keys they read, with values of every type, right or wrong), and
 * free trees of tricky scalars, anchors, aliases and tags for the readers' differential properties.
 */

type Schema = Record<string, unknown>;

const SCHEMAS = resolve(__dirname, '..', '..', '..', 'schemas');
const readJson = (rel: string): Schema => JSON.parse(readFileSync(join(SCHEMAS, rel), 'utf8')) as Schema;

/** Scalars that are not tricky to resolve but are to write: indicators, spaces, quotes, line breaks, escapes. */
const AWKWARD = [
  'a: b', 'a #b', 'a#b', '- a', '-a', ': a', '? a', '[a]', '{a}', 'a, b', ' a', 'a ', '\ta', 'it\'s', 'say "hi"', 'back\\slash', 'multi\nline',
  'two\n\nbreaks', 'trailing\n', '\u00e9t\u00e9', '\u{1F600}', 'tab\there', '@at', '`tick', '%pct', '!bang', '&amp', '*star', '|pipe', '>gt',
  '"\\x41\\t\\u00e9"', '"\\N\\_\\L\\P\\e\\0"', '"\\/"', '"\\U0001F600"', '"\\x4"', '"\\q"', `'it''s'`, '"a\\\n  b"', '"unterminated', "'unterminated",
  '"a\n  b"', "'a\n\n  b'", '!!str 1', '!!binary aGk=', '!custom x', '!!python/none ""',
];

const WORDS = ['pg', 'demo', 'postgres', 'replicator', '10.0.0.11:5432', '0.0.0.0:8008', '127.0.0.1:2379', '/var/lib/postgresql', 'md5', 'scram-sha-256', 'x', 'value'];

export const scalarText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...TRICKY_SCALARS) },
  { weight: 2, arbitrary: fc.constantFrom(...AWKWARD) },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9_.:/-]{1,12}$/) },
);

// A date-time key is a datetime object to PyYAML and a property named by its text to the engine: not compared.
const KEYS = TRICKY_KEYS.filter((k) => !(pyyamlTypeOf(k) === 'timestamp' && k.length > 10));

// A key that spans lines is refused by every reader alike, except after an anchor or tag alone on
// its line, a corner where they disagree (support/known-differences.ts): keys stay on one line.
const ONE_LINE_AWKWARD = AWKWARD.filter((k) => !k.includes('\n'));
const keyText: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', 'key', 'name', 'value', 'scope', 'ttl', 'spec', 'data', '<<') }, { weight: 2, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...ONE_LINE_AWKWARD) });

const ANCHORS = ['a', 'b', 'c'];
const TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq', '!', '!local', '!!timestamp'];

/** Wraps a node in an anchor or a tag now and then, or replaces it with an alias. */
function decorated(node: fc.Arbitrary<Tree>): fc.Arbitrary<Tree> {
  return fc.oneof(
    { weight: 12, arbitrary: node },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...ANCHORS), node).map(([anchor, n]): Tree => ({ anchor, node: n })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...TAGS), node).map(([tag, n]): Tree => (typeof n === 'object' && 'tag' in n) || (typeof n === 'string' && n.startsWith('!')) ? n : { tag, node: n }) },
    { weight: 2, arbitrary: fc.constantFrom(...ANCHORS).map((alias): Tree => ({ alias })) },
  );
}

/** Free trees: mappings (merge keys included), sequences and scalars, to depth 4. */
export const freeTree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: decorated(
    fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 3, arbitrary: scalarText },
      { weight: 2, arbitrary: fc.array(fc.tuple(keyText, tie('node')), { maxLength: 4 }).map((map): Tree => ({ map })) },
      { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 4 }).map((seq): Tree => ({ seq })) },
    ),
  ),
})).node;

// Schema-guided trees -----------------------------------------------------------------------------

function deref(root: Schema, s: Schema): Schema {
  for (let i = 0; i < 20 && typeof s.$ref === 'string'; i++) {
    const path = s.$ref.replace(/^#\//, '').split('/');
    let target: unknown = root;
    for (const p of path) target = (target as Schema | undefined)?.[p];
    s = { ...(target as Schema), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
  }
  return s;
}

function typesOf(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type as string[];
  if (typeof s.type === 'string') return [s.type];
  if (s.properties) return ['object'];
  if (s.items) return ['array'];
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return [];
}

const INTS = ['0', '1', '2', '3', '5', '10', '30', '-1', '"30"', '100', '1048576', '16MB', '2147483648', '1e3', '0x10', '010'];
const BOOLS = ['true', 'false', 'on', 'off', 'yes', 'no', 'True', 'FALSE', '"true"', 'y'];
const STRINGS = ['pg', 'demo', 'app', '10.0.0.11:5432', '127.0.0.1:8008', '0.0.0.0', 'localhost', 'kubernetes.io/hostname', 'topology.kubernetes.io/zone', '50%', '1', 'In', 'NotIn', 'Exists', 'postgres:16', 'redis:7'];

/**
 * A tree drawn from a JSON schema: a few of each object's properties (`must` ones always), values of
 * the declared types and enums, and now and then a value of any other shape.
 */
function fromSchema(g: fc.GeneratorValue, root: Schema, schema: Schema, depth: number, must: readonly string[] = []): Tree {
  const s = deref(root, schema);
  const alternatives = (s.anyOf ?? s.oneOf ?? s.allOf) as Schema[] | undefined;
  if (alternatives?.length && !s.properties && !s.type) return fromSchema(g, root, g(fc.constantFrom, ...alternatives), depth, must);
  if (must.length === 0 && g(fc.nat, 11) === 0) return g(() => freeTree);
  if (Array.isArray(s.enum) && s.enum.length > 0 && g(fc.nat, 4) > 0) return String(g(fc.constantFrom, ...(s.enum as unknown[])));
  const types = typesOf(s);
  const type = types.length ? g(fc.constantFrom, ...types) : 'string';
  const props = (s.properties ?? {}) as Record<string, Schema>;
  if (type === 'object' && depth > 0) {
    const names = Object.keys(props);
    const optional = names.filter((n) => !must.includes(n));
    const chosen = [...must, ...g(fc.subarray, optional, { maxLength: Math.min(5, optional.length) })];
    const map: [Tree, Tree][] = chosen.map((k) => [k, fromSchema(g, root, props[k] ?? {}, depth - 1)]);
    const extra = s.additionalProperties;
    if (extra !== false && (names.length === 0 || g(fc.nat, 5) === 0)) {
      const value = typeof extra === 'object' && extra !== null ? (extra as Schema) : {};
      for (let i = g(fc.nat, 3); i > 0; i--) map.push([g(() => keyText), fromSchema(g, root, value, depth - 1)]);
    }
    return { map };
  }
  if (type === 'array' && depth > 0) {
    const items = (s.items ?? {}) as Schema;
    return { seq: Array.from({ length: g(fc.nat, 3) }, () => fromSchema(g, root, items, depth - 1)) };
  }
  if (type === 'integer' || type === 'number') return g(fc.constantFrom, ...INTS);
  if (type === 'boolean') return g(fc.constantFrom, ...BOOLS);
  if (type === 'null') return g(fc.constantFrom, '', '~', 'null');
  return g(() => fc.oneof(fc.constantFrom(...STRINGS), scalarText));
}

/** Shrinking a drawn tree may go round in circles (a smaller draw early on changes every later one): it stops after this many steps. */
const TREE_SHRINKS = 60;

function schemaTree(root: Schema, depth: number, must: readonly string[] = []): fc.Arbitrary<Tree> {
  return fc.limitShrink(
    fc.gen().map((g) => fromSchema(g, root, root, depth, must)),
    TREE_SHRINKS,
  );
}

const tape = fc.array(fc.nat(99), { maxLength: 24 });

/** Patroni configurations: schema-guided (scope and postgresql always), or free trees. */
const PATRONI = readJson('patroni.schema.json');
export const patroniTree: fc.Arbitrary<Tree> = fc.oneof({ weight: 4, arbitrary: schemaTree(PATRONI, 5, ['scope', 'postgresql']) }, { weight: 1, arbitrary: freeTree });

export const patroniText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(patroniTree, tape).map(([t, tp]) => renderDocument(t, { tape: tp })) },
  { weight: 1, arbitrary: fc.tuple(fc.array(patroniTree, { minLength: 2, maxLength: 3 }), tape).map(([ts, tp]) => renderStream(ts, { tape: tp })) },
);

/** Manifests of every kind the engine has a schema for, built from that schema. */
const KIND_SCHEMAS: { apiVersion: string; kind: string; schema: Schema }[] = (['kubernetes', 'generated'] as const).flatMap((dir) =>
  // schemas/generated/ (the operators' CRDs) is written by the build.
  !existsSync(join(SCHEMAS, dir, 'index.json')) ? [] : Object.entries(readJson(`${dir}/index.json`) as Record<string, string>).map(([key, file]) => {
    const [apiVersion, kind] = key.split(' ');
    return { apiVersion, kind, schema: readJson(`${dir}/${file}`) };
  }),
);

const manifestTree: fc.Arbitrary<Tree> = fc.oneof(
  ...KIND_SCHEMAS.map(({ apiVersion, kind, schema }) =>
    schemaTree(schema, 6, ['metadata', 'spec']).map((t): Tree => {
      const map = typeof t === 'object' && 'map' in t ? t.map.filter(([k]) => k !== 'apiVersion' && k !== 'kind') : [];
      return { map: [['apiVersion', apiVersion], ['kind', kind], ...map] };
    }),
  ),
);

export const kubernetesText: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.oneof({ weight: 6, arbitrary: manifestTree }, { weight: 1, arbitrary: freeTree }), { minLength: 1, maxLength: 3 }), tape)
  .map(([trees, tp]) => renderStream(trees, { tape: tp }));

/** Labels: kubectl decodes metadata into its Go types, so anything but a mapping of scalars is refused there, as a schema error here. */
const labels: fc.Arbitrary<Tree> = fc.array(fc.tuple(fc.constantFrom('app', 'role', ...KEYS), fc.constantFrom(...TRICKY_SCALARS, ...WORDS)), { maxLength: 3 }).map((map): Tree => ({ map }));

/** One manifest for kubectl: a kind it reads without a cluster, and free trees where manifests hold data. */
export const oracleManifest: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('v1 ConfigMap', 'v1 Secret', 'example.com/v1 Thing', 'apps/v1 StatefulSet'), freeTree, fc.option(labels), tape)
  .map(([head, data, labels, tp]) => {
    const [apiVersion, kind] = head.split(' ');
    const metadata: Tree = { map: [['name', 'x'], ...(labels === null ? [] : ([['labels', labels]] as [Tree, Tree][]))] };
    return renderDocument({ map: [['apiVersion', apiVersion], ['kind', kind], ['metadata', metadata], [kind === 'ConfigMap' || kind === 'Secret' ? 'data' : 'spec', data]] }, { tape: tp });
  });

/** A Patroni-like stream for PyYAML: schema-guided or free, one to three documents. */
export const oraclePatroni: fc.Arbitrary<string> = patroniText;
