import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { ErrorObject } from 'ajv';
import { parse } from 'yaml';
import type { JsonSchema } from '../../server/src/core/schema/json-schema';
import { PATRONI_SCHEMA, schemaObjectSha1 } from '../../server/src/core/schema/schemas';
import { compileSchema } from '../../server/src/core/schema/validate';

const examples = resolve(__dirname, '..', '..', 'examples');
const brief = (errors: ErrorObject[] | null | undefined) => (errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.schemaPath} ${JSON.stringify(e.params)}`).sort();

/** The example Patroni files, and copies broken in the usual ways. */
function samples(): unknown[] {
  const out: unknown[] = [];
  for (const set of ['good', 'mistakes']) {
    const dir = join(examples, set, 'patroni');
    for (const f of readdirSync(dir)) {
      try {
        out.push(parse(readFileSync(join(dir, f), 'utf8'), { version: '1.1' }));
      } catch {
        // a file of the mistakes set that does not parse
      }
    }
  }
  const base = out[0] as Record<string, unknown>;
  out.push(
    { ...base, loop_wait: 'ten', ttl: -1, restapi: { listen: 8008, unknown: true } },
    { ...base, bootstrap: { dcs: { maximum_lag_on_failover: '16MB', synchronous_mode: 'maybe' } }, log: { level: 'VERBOSE' } },
    { ...base, postgresql: [] },
    'text',
    [],
  );
  return out;
}

test('the Patroni schema comes with a validator compiled at build time, and validation uses it', () => {
  const fn = compileSchema(PATRONI_SCHEMA) as ReturnType<typeof compileSchema> & { schemaSha1?: string };
  assert.equal(fn.schemaSha1, schemaObjectSha1(PATRONI_SCHEMA), 'run `npm run build`: the Patroni schema has no precompiled validator');
});

test('the precompiled Patroni validator gives exactly the errors of one compiled at run time', () => {
  const precompiled = compileSchema(PATRONI_SCHEMA);
  // A structural copy is a different object: compileSchema compiles it with ajv now.
  const runtime = compileSchema(structuredClone(PATRONI_SCHEMA) as JsonSchema);
  assert.notEqual(precompiled, runtime);
  let withErrors = 0;
  const values = samples();
  for (const value of values) {
    const ok = precompiled(value);
    const errors = brief(precompiled.errors);
    assert.equal(ok, runtime(value));
    assert.deepEqual(errors, brief(runtime.errors));
    if (!ok) withErrors++;
  }
  assert.ok(values.length >= 10, `compared ${values.length}`);
  assert.ok(withErrors >= 5, `with errors ${withErrors}`);
});
