// Validation of ClusterState values against docs/cluster-state.schema.json, for every test that
// produces them (providers, `hatopo status --format json`), plus the invariants a schema cannot say.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { overallHealth } from '../../live/src/model';
import type { ClusterState } from '../../live/src/model';

export const CLUSTER_STATE_SCHEMA_PATH = resolve(__dirname, '..', '..', 'docs', 'cluster-state.schema.json');

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(CLUSTER_STATE_SCHEMA_PATH, 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/**
 * What is wrong with `value` as a ClusterState (or an array of them): schema errors as
 * `pointer: message`, then broken invariants (health not the worst of members, problems and error).
 * Empty when it is valid. The value is taken through JSON, as a reader of the CLI's output sees it.
 */
export function clusterStateErrors(value: unknown): string[] {
  const json: unknown = JSON.parse(JSON.stringify(value));
  const list = Array.isArray(json) ? json : [json];
  const validate = validator();
  if (!validate(list)) return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
  const out: string[] = [];
  (list as ClusterState[]).forEach((s, i) => {
    const expected = overallHealth(s);
    if (s.health !== expected) out.push(`/${i}/health: is ${s.health}, but its members, problems and error make it ${expected}`);
  });
  return out;
}

/** Asserts `value` is a valid ClusterState or array of them; the message lists every error and the value. */
export function validateClusterState(value: unknown): void {
  const errors = clusterStateErrors(value);
  assert.deepEqual(errors, [], `not a valid ClusterState:\n  ${errors.join('\n  ')}\nin ${JSON.stringify(value, null, 1).slice(0, 4000)}`);
}
