import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { CrdFact } from '../types';
import { loadWithCodeCache } from './code-cache';
import { crdVersionToJsonSchema } from './crd';
import type { JsonSchema } from './json-schema';
import { PROVIDED_MODULES } from './regexp';
import { usePrecompiled } from './validate';

/** The schema of one kind and where it comes from. */
export interface SchemaMatch {
  schema: JsonSchema;
  /** core: a built-in kind; operator: a bundled operator CRD; workspace: a CRD found in the workspace. */
  source: 'core' | 'operator' | 'workspace';
  /** Where the schema comes from, for hover and messages: a file under schemas/, or the CRD's URI. */
  origin: string;
}

export interface SchemaRegistry {
  schemaFor(apiVersion: string, kind: string, crds?: readonly CrdFact[]): SchemaMatch | undefined;
  /** How many bundled schema files have been read so far (they are read on first use). */
  readonly loadedFiles: number;
  /** How many of those came with a validator compiled at build time (the others compile on first use). */
  readonly precompiledFiles: number;
}

/**
 * The package's schemas/ folder: the nearest ancestor of `from` holding schemas/patroni.schema.json.
 * Works from the sources (server/src/core/schema) and from the bundles (dist/).
 */
export function findSchemasDir(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 12; i++) {
    if (existsSync(join(dir, 'schemas', 'patroni.schema.json'))) return join(dir, 'schemas');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** Folder under schemas/generated/ holding the validators compiled at build time. */
export const PRECOMPILED_FOLDER = 'validators';

/** Where the precompiled validator of a bundled schema file lives, relative to schemas/generated/. */
export function precompiledPath(source: 'core' | 'operator', rel: string): string {
  return `${PRECOMPILED_FOLDER}/${source}/${rel.replace(/\.schema\.json$/, '')}.js`;
}

/**
 * Hands the build-time validator of a schema file to compileSchema, when there is one and it was
 * compiled from exactly this text; otherwise the schema is compiled on first use as before.
 */
function adoptPrecompiled(generatedDir: string, source: 'core' | 'operator', rel: string, text: string, schema: JsonSchema): boolean {
  const file = join(generatedDir, precompiledPath(source, rel));
  if (!existsSync(file)) return false;
  try {
    const sha1 = createHash('sha1').update(text).digest('hex');
    const mod = loadWithCodeCache(file, `${source}-${rel.replace(/[^\w.]+/g, '_')}`, sha1.slice(0, 12), PROVIDED_MODULES) as ValidateFunction & { schemaSha1?: string };
    if (typeof mod !== 'function' || mod.schemaSha1 !== sha1) return false;
    usePrecompiled(schema, mod);
    return true;
  } catch {
    return false;
  }
}

interface BundledIndex {
  source: 'core' | 'operator';
  folder: string;
  base: string;
  /** "<apiVersion> <kind>" → file relative to base; read on first lookup. */
  map?: Record<string, string>;
}

function readIndex(path: string): Record<string, string> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/**
 * Schemas by apiVersion and kind. CRDs found in the workspace come first (converted once per CRD
 * object), then the bundled operator schemas (schemas/generated, made by scripts/gen-crd-schemas.ts)
 * and the core kinds (schemas/kubernetes). Bundled files are read from disk on first use and kept:
 * they are too large to import into the bundles.
 */
export function createSchemaRegistry(options: { schemasDir?: string } = {}): SchemaRegistry {
  const dir = options.schemasDir ?? findSchemasDir();
  const indexes: BundledIndex[] = dir
    ? [
        { source: 'operator', folder: 'schemas/generated', base: join(dir, 'generated') },
        { source: 'core', folder: 'schemas/kubernetes', base: join(dir, 'kubernetes') },
      ]
    : [];
  const loaded = new Map<string, SchemaMatch | null>();
  const converted = new WeakMap<CrdFact, Map<string, SchemaMatch>>();
  let loadedFiles = 0;
  let precompiledFiles = 0;

  function bundled(apiVersion: string, kind: string): SchemaMatch | undefined {
    const key = `${apiVersion} ${kind}`;
    const known = loaded.get(key);
    if (known !== undefined) return known ?? undefined;
    let found: SchemaMatch | null = null;
    for (const idx of indexes) {
      idx.map ??= readIndex(join(idx.base, 'index.json'));
      const rel = idx.map[key];
      if (!rel) continue;
      try {
        const text = readFileSync(join(idx.base, rel), 'utf8');
        const schema = JSON.parse(text) as JsonSchema;
        if (dir && adoptPrecompiled(join(dir, 'generated'), idx.source, rel, text, schema)) precompiledFiles++;
        loadedFiles++;
        found = { schema, source: idx.source, origin: `${idx.folder}/${rel}` };
      } catch {
        // A missing or broken file means no schema, not a crash: the document is still checked otherwise.
        found = null;
      }
      break;
    }
    loaded.set(key, found);
    return found ?? undefined;
  }

  function fromWorkspace(crds: readonly CrdFact[], apiVersion: string, kind: string): SchemaMatch | undefined {
    for (const crd of crds) {
      if (crd.kind !== kind) continue;
      const version = crd.versions.find((v) => `${crd.group}/${v.name}` === apiVersion);
      if (!version || !version.schema || typeof version.schema !== 'object') continue;
      let perVersion = converted.get(crd);
      if (!perVersion) converted.set(crd, (perVersion = new Map()));
      let match = perVersion.get(version.name);
      if (!match) {
        match = { schema: crdVersionToJsonSchema(version.schema, { apiVersion, kind }), source: 'workspace', origin: crd.uri };
        perVersion.set(version.name, match);
      }
      return match;
    }
    return undefined;
  }

  return {
    schemaFor(apiVersion, kind, crds = []) {
      return fromWorkspace(crds, apiVersion, kind) ?? bundled(apiVersion, kind);
    },
    get loadedFiles() {
      return loadedFiles;
    },
    get precompiledFiles() {
      return precompiledFiles;
    },
  };
}

let defaultRegistry: SchemaRegistry | undefined;

/** The registry over the package's own schemas/ folder, created on first use. */
export function defaultSchemaRegistry(): SchemaRegistry {
  return (defaultRegistry ??= createSchemaRegistry());
}
