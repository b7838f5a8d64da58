import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SETTINGS, readSettings } from '../../server/src/core';

test('settings: valid values are read, malformed ones dropped with a warning', () => {
  const warnings: string[] = [];
  const s = readSettings(
    {
      checks: { 'patroni/timing': 'error', 'x/y': 'loud' },
      haproxy: { version: '3.0' },
      kubernetes: { schemaValidation: 'off' },
      files: { associations: { '*.cfg': 'haproxy', '*.txt': 'notes' } },
    },
    (m) => warnings.push(m),
  );
  assert.deepEqual(s.checks, { 'patroni/timing': 'error' });
  assert.equal(s.haproxy.version, '3.0');
  assert.equal(s.kubernetes.coreSchemaValidation, false);
  assert.deepEqual(s.associations, { '*.cfg': 'haproxy' });
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /loud/);
  assert.match(warnings[1], /notes/);
});

test('settings: nothing or garbage gives the defaults; the VS Code client decides coreSchemaValidation', () => {
  assert.deepEqual(readSettings(undefined), DEFAULT_SETTINGS);
  assert.deepEqual(readSettings('nonsense'), DEFAULT_SETTINGS);
  assert.equal(readSettings({ kubernetes: { schemaValidation: 'auto' } }).kubernetes.coreSchemaValidation, true);
  assert.equal(readSettings({ kubernetes: { schemaValidation: 'auto', coreSchemaValidation: false } }).kubernetes.coreSchemaValidation, false);
  assert.equal(readSettings({ haproxy: { version: 'latest' } }, () => undefined).haproxy.version, '2.6');
});
