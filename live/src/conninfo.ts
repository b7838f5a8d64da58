// PostgreSQL connection strings as libpq reads them (URIs and `key=value` lists), only as far as
// telling several apart, finding their passwords and showing them without.
const URI = /^postgres(?:ql)?:\/\//i;

interface Pair {
  key: string;
  value: string;
  /** Offsets of the value as written (quotes included). */
  start: number;
  end: number;
}

/** The pairs of a `key=value` conninfo; undefined when it is not one (libpq would refuse it). */
export function conninfoPairs(text: string): Pair[] | undefined {
  const pairs: Pair[] = [];
  let i = 0;
  const n = text.length;
  const space = () => {
    while (i < n && /\s/.test(text[i])) i++;
  };
  for (;;) {
    space();
    if (i >= n) return pairs;
    const keyStart = i;
    while (i < n && /[A-Za-z0-9_]/.test(text[i])) i++;
    const key = text.slice(keyStart, i);
    space();
    if (!key || text[i] !== '=') return undefined;
    i++;
    space();
    const start = i;
    let value = '';
    if (text[i] === "'") {
      i++;
      for (;;) {
        if (i >= n) return undefined;
        if (text[i] === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (text[i] === "'") {
          i++;
          break;
        } else value += text[i++];
      }
    } else {
      while (i < n && !/\s/.test(text[i])) {
        if (text[i] === '\\' && i + 1 < n) i++;
        value += text[i++];
      }
    }
    pairs.push({ key: key.toLowerCase(), value, start, end: i });
  }
}

/** Whether the text at `at` starts another connection string (a URI, or a `key=` of conninfo). */
function startsAnother(text: string, at: number): boolean {
  const rest = text.slice(at).trimStart();
  return URI.test(rest) || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(rest);
}

/**
 * `--postgres A,B`: the connection strings of one replication set. A comma splits only where
 * another connection string starts, so libpq's own lists (`postgresql://h1,h2/db`, `host=h1,h2`)
 * stay whole.
 */
export function splitConnStrings(value: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === "'") quoted = !quoted;
    else if (c === ',' && !quoted && startsAnother(value, i + 1)) {
      parts.push(value.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(value.slice(from));
  return parts.map((p) => p.trim());
}

/** What is wrong with one connection string (it must be a URI or a `key=value` conninfo), shown without its password. */
export function connStringProblem(conn: string): string | undefined {
  if (conn === '') return 'an empty connection string';
  if (URI.test(conn)) {
    // libpq's host list (`h1:5432,h2:5432`) is not URL syntax: only its first host is parsed here.
    const single = conn.replace(/^(postgres(?:ql)?:\/\/[^/?#,]*),[^/?#]*/i, '$1');
    try {
      new URL(single);
      return undefined;
    } catch {
      return `'${displayConnString(conn)}' is not a valid postgresql:// URI`;
    }
  }
  if (conninfoPairs(conn)?.length) return undefined;
  return `'${displayConnString(conn)}' is neither a postgresql:// URI nor a 'host=… port=…' connection string`;
}

/** The passwords written in a connection string (URI userinfo, `password=`), for masking. */
export function postgresPasswords(conn: string): string[] {
  if (URI.test(conn)) {
    const m = /^postgres(?:ql)?:\/\/([^@/?#]*)@/i.exec(conn);
    const info = m?.[1];
    const colon = info?.indexOf(':') ?? -1;
    const out: string[] = [];
    if (info && colon >= 0) {
      const raw = info.slice(colon + 1);
      out.push(raw);
      try {
        out.push(decodeURIComponent(raw));
      } catch {
        // a malformed escape: the raw form is masked
      }
    }
    const q = /[?&]password=([^&#]*)/i.exec(conn)?.[1];
    if (q) out.push(q, decodeURIComponent(q.replace(/\+/g, ' ')));
    return out.filter(Boolean);
  }
  return (conninfoPairs(conn) ?? []).filter((p) => p.key === 'password' && p.value).map((p) => p.value);
}

/** A connection string as it may be shown: without its password, in both forms. */
export function displayConnString(conn: string): string {
  if (URI.test(conn.trim())) {
    return conn.replace(/^(\s*postgres(?:ql)?:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1@').replace(/([?&]password=)[^&#]*/gi, '$1***');
  }
  const pairs = conninfoPairs(conn);
  if (!pairs) return conn.replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, '$1***');
  let out = conn;
  for (const p of [...pairs].reverse()) if (p.key === 'password') out = out.slice(0, p.start) + '***' + out.slice(p.end);
  return out;
}
