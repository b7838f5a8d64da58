import { spawnSync } from 'node:child_process';

/**
 * PyYAML's safe loader (what Patroni reads its file with), run once over a batch of texts. Each
 * text gives its documents in order: the value, serialised with its Python type, or the error
 * that stopped that document (a syntax error stops the rest of the stream).
 */

/** A value as PyYAML constructed it: JSON, with ints, floats, dates and non-string keys tagged. */
export type PyValue =
  | null
  | boolean
  | string
  | { int: string }
  | { float: string }
  | { date: string }
  | { datetime: string }
  | { other: string }
  | PyValue[]
  | { map: [PyValue, PyValue][] };

export interface PyDocument {
  value?: PyValue;
  error?: string;
}

const ENCODE = String.raw`
import base64, datetime, io, json, math, sys, yaml

def enc(v):
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)}
    if isinstance(v, datetime.datetime):
        return {"datetime": v.isoformat()}
    if isinstance(v, datetime.date):
        return {"date": v.isoformat()}
    if isinstance(v, list):
        return [enc(x) for x in v]
    if isinstance(v, dict):
        return {"map": [[enc(k), enc(x)] for k, x in v.items()]}
    return {"other": type(v).__name__}
`;

const SCRIPT = ENCODE + String.raw`

def load(text):
    out = []
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            try:
                out.append({"value": enc(loader.construct_document(node))})
            except Exception as e:
                loader.constructed_objects, loader.recursive_objects, loader.state_generators = {}, {}, []
                out.append({"error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")})
    except Exception as e:
        out.append({"error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")})
    finally:
        loader.dispose()
    return out

texts = json.load(sys.stdin)
json.dump({"version": yaml.__version__, "results": [load(t) for t in texts]}, sys.stdout)
`;

/** A Python that has PyYAML: $PYTHON, else python3 on the PATH, else Debian's /usr/bin/python3. */
export function findPython(): { python: string; version: string } | { missing: string } {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3', 'python'].filter((p): p is string => !!p);
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import yaml, sys; print(yaml.__version__, sys.version.split()[0])'], { encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return {
    missing: `no Python with PyYAML found (tried ${candidates.join(', ')}): install Debian's python3-yaml (apt-get install python3-yaml) or set PYTHON to a python that can import yaml`,
  };
}

/** Loads every text with yaml.SafeLoader in one Python process. */
export function loadWithPyYaml(python: string, texts: readonly string[]): { version: string; results: PyDocument[][] } {
  const r = spawnSync(python, ['-c', SCRIPT], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${python} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { version: string; results: PyDocument[][] };
}

/** What Patroni makes of a configuration file's bytes: the value PyYAML constructs, or the error that stops it. */
export interface PatroniRead {
  value?: PyValue;
  /** PyYAML read it, but the value is not printed: it contains itself, or its aliases expand past a million nodes. */
  unprinted?: 'cycle' | 'large';
  error?: string;
}

const PATRONI_SCRIPT = ENCODE + String.raw`
class Unprinted(Exception):
    pass

def measure(v):
    # A value that contains itself, or whose aliases expand too far, is read but not printed.
    count, path = [0], set()
    def walk(x):
        count[0] += 1
        if count[0] > 1000000:
            raise Unprinted("large")
        if isinstance(x, (list, dict)):
            if id(x) in path:
                raise Unprinted("cycle")
            path.add(id(x))
            for y in (x if isinstance(x, list) else list(x.keys()) + list(x.values())):
                walk(y)
            path.discard(id(x))
    walk(v)

def read(raw):
    try:
        # As Patroni opens its file: open(path) in text mode, UTF-8, universal newlines; then yaml.safe_load.
        value = yaml.safe_load(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    except Exception as e:
        return {"error": "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")}
    try:
        measure(value)
    except Unprinted as u:
        return {"unprinted": str(u)}
    return {"value": enc(value)}

files = [base64.b64decode(b) for b in json.load(sys.stdin)]
json.dump([read(raw) for raw in files], sys.stdout)
`;

/** Reads every file's bytes as Patroni reads its configuration, in one Python process. */
export function loadAsPatroni(python: string, files: readonly Uint8Array[]): PatroniRead[] {
  const input = JSON.stringify(files.map((f) => Buffer.from(f).toString('base64')));
  const r = spawnSync(python, ['-c', PATRONI_SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${python} failed (${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as PatroniRead[];
}
