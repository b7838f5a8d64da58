// HAProxy's own answers, parsed: `show stat` (the CSV the stats page serves as `;csv` too),
// `show servers state` and `show info`. Pure functions, tested on recorded HAProxy 2.6 output.

/** One CSV row, by the header's field names (pxname, svname, status, check_status…). */
export type StatRow = Record<string, string>;

/** The answer was not the stats CSV (an HTML page, `Unknown command`, `Permission denied`). */
export class StatsFormatError extends Error {}

/** Splits one CSV line; HAProxy quotes a field holding a comma or a quote ("" inside is one quote). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          value += line.slice(i);
          i = line.length;
          break;
        }
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
    } else {
      const c = line.indexOf(',', i);
      out.push(line.slice(i, c < 0 ? line.length : c));
      i = c < 0 ? line.length : c;
    }
    if (i >= line.length || line[i] !== ',') break;
    i++;
    // A trailing comma ends the line: HAProxy ends every line with one.
    if (i >= line.length) break;
  }
  return out;
}

/** The first line of a `show stat` answer is its header, `# pxname,svname,…`; every other line a row. */
export function parseStatCsv(text: string): StatRow[] {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0 || !lines[first].startsWith('# pxname,svname,')) {
    const said = first < 0 ? 'an empty answer' : `'${lines[first].trim().slice(0, 80)}'`;
    throw new StatsFormatError(`not HAProxy stats CSV: ${said}`);
  }
  const header = splitCsvLine(lines[first].slice(2));
  const rows: StatRow[] = [];
  for (const line of lines.slice(first + 1)) {
    if (!line.trim()) continue;
    const values = splitCsvLine(line);
    const row: StatRow = {};
    header.forEach((name, i) => {
      if (name && name !== '-') row[name] = values[i] ?? '';
    });
    rows.push(row);
  }
  return rows;
}

/** A server's line of `show servers state`, the fields this project reads. */
export interface ServerStateRow {
  backend: string;
  server: string;
  /** srv_addr, and srv_port when set. */
  address: string;
  /** 0 stopped, 1 starting, 2 running, 3 stopping. */
  opState: number;
  /** Bit set: 0x01 maintenance forced (runtime API), 0x02 inherited (tracked server), 0x04 from the configuration, 0x08 drain forced, 0x10 drain inherited, 0x20 resolution, 0x40 hostname. */
  adminState: number;
  /** The weight set by the user (uweight). */
  weight: number;
  checkPort?: number;
}

/** `show servers state` (format 1): a version line, a `# be_id be_name …` header, then one server a line. */
export function parseServersState(text: string): ServerStateRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const headerAt = lines.findIndex((l) => l.startsWith('# be_id'));
  if (lines[0]?.trim() !== '1' || headerAt < 0) throw new StatsFormatError(`not 'show servers state' output: '${(lines[0] ?? '').slice(0, 80)}'`);
  const header = lines[headerAt].slice(2).trim().split(/\s+/);
  const at = (name: string) => header.indexOf(name);
  const rows: ServerStateRow[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (line.startsWith('#')) continue;
    const f = line.trim().split(/\s+/);
    const get = (name: string) => (at(name) >= 0 ? f[at(name)] : undefined);
    const port = Number(get('srv_port'));
    const checkPort = Number(get('srv_check_port'));
    const addr = get('srv_addr') ?? '';
    rows.push({
      backend: get('be_name') ?? '',
      server: get('srv_name') ?? '',
      address: port > 0 ? (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`) : addr,
      opState: Number(get('srv_op_state')),
      adminState: Number(get('srv_admin_state')),
      weight: Number(get('srv_uweight')),
      checkPort: checkPort > 0 ? checkPort : undefined,
    });
  }
  return rows;
}

/** What an admin-state bit set means, worded; empty when the server is in no admin state. */
export function adminStateWords(bits: number): string[] {
  const words: string[] = [];
  if (bits & 0x01) words.push('maintenance set through the runtime API');
  if (bits & 0x02) words.push('maintenance inherited from a tracked server');
  if (bits & 0x04) words.push('disabled in the configuration');
  if (bits & 0x08) words.push('drain set through the runtime API');
  if (bits & 0x10) words.push('drain inherited from a tracked server');
  if (bits & 0x20) words.push('maintenance: its address does not resolve');
  if (bits & 0x40) words.push('maintenance: its hostname is not resolved yet');
  return words;
}

/** `show info` as key → value. */
export function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(': ');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 2);
  }
  return out;
}

/** The last health check as HAProxy words it: `L7OK/200 in 1ms`, `L4CON in 0ms`, `INI`; undefined without a check. */
export function lastCheckOf(row: StatRow): string | undefined {
  const status = (row.check_status ?? '').replace(/^\* /, '');
  if (!status) return undefined;
  const code = row.check_code ? `/${row.check_code}` : '';
  const duration = row.check_duration !== undefined && row.check_duration !== '' ? ` in ${row.check_duration}ms` : '';
  return `${status}${code}${duration}`;
}
