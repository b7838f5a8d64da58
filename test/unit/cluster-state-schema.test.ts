// docs/cluster-state.schema.json: it accepts real-looking states, refuses broken ones, and
// describes live/src/model.ts field for field (read from the source with the TypeScript parser).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { unreachable } from '../../live/src/model';
import type { ClusterState } from '../../live/src/model';
import { CLUSTER_STATE_SCHEMA_PATH, clusterStateErrors, validateClusterState } from '../helpers/cluster-state';
import { patroniState, sentinelState, haproxyState } from '../helpers/live-samples';

const schema = JSON.parse(readFileSync(CLUSTER_STATE_SCHEMA_PATH, 'utf8')) as {
  definitions: Record<string, { properties?: Record<string, unknown>; required?: string[]; enum?: string[] }>;
};

test('sample states of every kind are valid, alone and as the CLI prints them', () => {
  const states = [patroniState(), sentinelState(), haproxyState(), unreachable('postgres', 'db1:5432', 'postgresql://db1:5432', 'connection refused db1:5432', new Date(0))];
  validateClusterState(states);
  for (const s of states) validateClusterState(s);
  // Through JSON with the CLI's indentation: what a reader of `hatopo status --format json` parses.
  assert.deepEqual(clusterStateErrors(JSON.parse(JSON.stringify(states, null, 2))), []);
});

test('broken states are refused, each with a pointer to the culprit', () => {
  const cases: Array<[string, (s: ClusterState) => unknown, RegExp]> = [
    ['unknown role', (s) => ((s.members[0] as { role: string }).role = 'master'), /\/0\/members\/0\/role/],
    ['unknown kind', (s) => ((s as { kind: string }).kind = 'mysql'), /\/0\/kind/],
    ['missing state', (s) => delete (s.members[1] as Partial<ClusterState['members'][0]>).state, /\/0\/members\/1/],
    ['negative lag', (s) => (s.members[1].lagBytes = -1), /lagBytes/],
    ['a field the model does not have', (s) => ((s as unknown as Record<string, unknown>).leaderName = 'pg1'), /additional/],
    ['observedAt not ISO 8601', (s) => (s.observedAt = 'yesterday'), /observedAt/],
    ['error with members', (s) => (s.error = 'timed out'), /members/],
    ['problem without message', (s) => s.problems.push({ code: 'lagging', severity: 'warning', message: '' }), /problems/],
    ['problem severity info', (s) => s.problems.push({ code: 'x', severity: 'info' as 'warning', message: 'm' }), /severity/],
    ['tags of objects', (s) => (s.members[0].tags = { a: {} as unknown as string }), /tags/],
  ];
  for (const [what, breakIt, where] of cases) {
    const s = patroniState();
    breakIt(s);
    const errors = clusterStateErrors([s]);
    assert.ok(errors.length > 0, `${what}: accepted`);
    assert.match(errors.join('\n'), where, `${what}: ${errors.join('; ')}`);
  }
});

test('health must be the worst of members, problems and error', () => {
  const s = patroniState();
  s.members[2].health = 'error';
  assert.match(clusterStateErrors(s).join('\n'), /\/0\/health: is warning, but .* make it error/);
  s.health = 'error';
  assert.deepEqual(clusterStateErrors(s), []);
});

/** The properties of each interface and the members of each string-literal union in model.ts. */
function readModel(): { interfaces: Map<string, Map<string, boolean>>; unions: Map<string, string[]> } {
  const path = resolve(__dirname, '..', '..', 'live', 'src', 'model.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, Map<string, boolean>>();
  const unions = new Map<string, string[]>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) {
      const props = new Map<string, boolean>();
      for (const m of node.members) if (ts.isPropertySignature(m)) props.set(m.name.getText(source), m.questionToken === undefined);
      interfaces.set(node.name.text, props);
    } else if (ts.isTypeAliasDeclaration(node) && ts.isUnionTypeNode(node.type)) {
      const values = node.type.types.flatMap((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? [t.literal.text] : []));
      if (values.length === node.type.types.length) unions.set(node.name.text, values);
    }
  });
  return { interfaces, unions };
}

test('the schema describes model.ts exactly: every field, which are required, every enum value', () => {
  const { interfaces, unions } = readModel();
  assert.deepEqual([...interfaces.keys()].sort(), ['ClusterState', 'LiveProblem', 'Member']);
  for (const [name, props] of interfaces) {
    const def = schema.definitions[name];
    assert.ok(def, `no definition for ${name}`);
    assert.deepEqual(Object.keys(def.properties ?? {}).sort(), [...props.keys()].sort(), `${name}: properties`);
    const required = [...props].filter(([, r]) => r).map(([k]) => k);
    assert.deepEqual([...(def.required ?? [])].sort(), required.sort(), `${name}: required`);
  }
  assert.deepEqual([...unions.keys()].sort(), ['Health', 'MemberRole', 'SyncState', 'SystemKind']);
  for (const [name, values] of unions) assert.deepEqual(schema.definitions[name].enum, values, `${name}: enum`);
});
