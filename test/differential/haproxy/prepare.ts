/**
 * Makes a corpus file checkable by `haproxy -c` on a machine without its environment:
 * unresolvable hostnames become 127.0.0.1, and lines that need files we do not have
 * (certificates, error pages, Lua scripts) are dropped. The result is a scratch copy.
 */
const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\]|\*|::.*|ipv[46]@.*|unix@.*|abns@.*|\/.*)$/;

function localHost(addr: string): string {
  const m = /^(.*?)(:[0-9+-]*)?$/.exec(addr)!;
  const host = m[1];
  if (host === '' || IP.test(host) || IP.test(addr)) return addr;
  return `127.0.0.1${m[2] ?? ''}`;
}

export function prepare(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    const kw = w[0] ?? '';
    if (kw === 'bind' && /\s(ssl|crt|ca-file)\s/.test(`${line} `)) continue;
    if (['errorfile', 'lua-load', 'lua-load-per-thread', 'ca-file', 'crt-base', 'ssl-dh-param-file', 'server-state-file', 'chroot', 'user', 'group', 'uid', 'gid', 'pidfile'].includes(kw)) continue;
    if ((kw === 'server' || kw === 'peer') && w[2]) {
      out.push(line.replace(w[2], localHost(w[2])));
      continue;
    }
    if (kw === 'log' && w[1] && w[1] !== 'global' && !w[1].startsWith('/')) {
      out.push(line.replace(w[1], localHost(w[1])));
      continue;
    }
    out.push(line);
  }
  return `${out.join('\n').replace(/\n*$/, '')}\n`;
}
