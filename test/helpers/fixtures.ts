import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** test/fixtures: small realistic configs written for the tests, so they need no corpus. */
export const FIXTURES = resolve(__dirname, '..', 'fixtures');

/** The fixture files of one folder (`haproxy`, `kubernetes`), as `folder/name`, sorted. */
export function fixtureFiles(folder: string): string[] {
  return readdirSync(join(FIXTURES, folder))
    .sort()
    .map((name) => `${folder}/${name}`);
}

export function readFixture(rel: string): string {
  return readFileSync(join(FIXTURES, rel), 'utf8');
}
