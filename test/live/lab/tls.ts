// A throwaway certificate authority for a lab: a CA, a server certificate for 127.0.0.1/localhost and
// a client certificate, made with the openssl command line (EC keys: fast to generate).
import { execFile } from 'node:child_process';
import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userIds } from './processes';

export interface LabCertificates {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed nothing here: verifying against it must fail. */
  otherCa: string;
}

function openssl(args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, timeout: 20000 }, (err, _stdout, stderr) => (err ? reject(new Error(`openssl ${args[0]}: ${stderr.trim() || err.message}`)) : resolve()));
  });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Makes the certificates in `dir`; the server's key is handed to `owner` (the daemon's user), who alone may read it. */
export async function makeCertificates(dir: string, owner: string): Promise<LabCertificates> {
  const f = (name: string) => join(dir, name);
  await openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=hatopo lab CA'], dir);
  await openssl(['req', '-x509', ...EC, '-keyout', 'other-ca.key', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=someone else'], dir);
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [['server', '127.0.0.1'], ['client', 'hatopo']] as const) {
    await openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
    await openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`], dir);
  }
  const { uid, gid } = userIds(owner);
  chownSync(f('server.key'), uid, gid);
  return { ca: f('ca.pem'), serverCert: f('server.pem'), serverKey: f('server.key'), clientCert: f('client.pem'), clientKey: f('client.key'), otherCa: f('other-ca.pem') };
}
