// Credentials are removed from what is shown: valid URLs, mistyped ones, and text carrying a secret.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { credentialsOf, mask, withoutCredentials } from '../../live/src/secrets';

test('a URL is shown without its userinfo, whether or not the URL parser accepts it', () => {
  assert.equal(withoutCredentials('http://admin:s3cret@10.0.0.1:8008/cluster'), 'http://10.0.0.1:8008/cluster');
  assert.equal(withoutCredentials('redis://:s3cret@127.0.0.1:26379'), 'redis://127.0.0.1:26379');
  assert.equal(withoutCredentials('http://10.0.0.1:8008'), 'http://10.0.0.1:8008');
  // Refused by the URL parser (port out of range, an unclosed IPv6 bracket): still no password.
  assert.equal(withoutCredentials('http://admin:s3cret@pg1:99999999/x'), 'http://pg1:99999999/x');
  assert.equal(withoutCredentials('redis://:p@ss@[::1:26379'), 'redis://[::1:26379');
  assert.equal(withoutCredentials('/run/haproxy/admin.sock'), '/run/haproxy/admin.sock');
});

test('credentials are decoded from the userinfo; masking covers the plain and URL-encoded forms', () => {
  assert.deepEqual(credentialsOf('http://ad%40min:p%2Fw@h:1'), { username: 'ad@min', password: 'p/w' });
  assert.deepEqual(credentialsOf('http://h:1'), { username: undefined, password: undefined });
  assert.equal(mask('auth p/w failed at http://x:p%2Fw@h', ['p/w', undefined, '']), 'auth *** failed at http://x:***@h');
});
