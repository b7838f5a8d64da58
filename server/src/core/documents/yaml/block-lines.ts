import { outside } from './block-scalars';

/** Character codes the block reader looks for. */
export const SPACE = 32;
export const NL = 10;
export const HASH = 35;
export const COLON = 58;
export const DASH = 45;

/**
 * Line-level reading of `t` up to `end` (one chunk of a stream, offsets counted in the whole text):
 * where lines end, their indentation, comments and blank lines. Throws OUTSIDE (through outside())
 * where the text stops being the block style the reader knows.
 */
export class LineScanner {
  constructor(
    protected readonly t: string,
    protected readonly end: number,
  ) {}

  lineEnd(ls: number): number {
    const nl = this.t.indexOf('\n', ls);
    return nl < 0 || nl >= this.end ? this.end : nl;
  }

  after(le: number): number {
    return le < this.end ? le + 1 : this.end;
  }

  indentOf(ls: number): number {
    let p = ls;
    while (p < this.end && this.t.charCodeAt(p) === SPACE) p++;
    return p - ls;
  }

  /** A `-` at `p` that starts a sequence entry (followed by a space or the end of the line). */
  isDash(p: number, le: number): boolean {
    return this.t.charCodeAt(p) === DASH && (p + 1 === le || this.t.charCodeAt(p + 1) === SPACE);
  }

  skipSpaces(p: number, le: number): number {
    while (p < le && this.t.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** After a value ending at `p`: only spaces and a comment may follow on the line. */
  lineTail(p: number, le: number): void {
    const q = this.skipSpaces(p, le);
    if (q < le && (this.t.charCodeAt(q) !== HASH || q === p)) outside();
  }

  /** Offset of the first content line at or after `ls` (blank and comment lines skipped). */
  nextContent(ls: number): number {
    while (ls < this.end) {
      const i = this.indentOf(ls);
      const p = ls + i;
      if (p < this.end && this.t.charCodeAt(p) !== NL && this.t.charCodeAt(p) !== HASH) return ls;
      ls = this.after(this.lineEnd(ls));
    }
    return this.end;
  }

  hasComment(from: number, to: number): boolean {
    for (let ls = from; ls < to; ls = this.after(this.lineEnd(ls))) {
      if (this.t.charCodeAt(ls + this.indentOf(ls)) === HASH) return true;
    }
    return false;
  }

  /** Where a comment starts on `[p, le)` (a `#` after a space), or `le`. */
  commentAt(p: number, le: number): number {
    const t = this.t;
    for (let i = p + 1; i < le; i++) if (t.charCodeAt(i) === HASH && t.charCodeAt(i - 1) === SPACE) return i;
    return le;
  }

  trimEnd(p: number, e: number): number {
    while (e > p && this.t.charCodeAt(e - 1) === SPACE) e--;
    return e;
  }
}
