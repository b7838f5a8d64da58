// Scaling rows of `npm run bench`: each input that once made a path slower than linear, at sizes
// ×1, ×2 and ×4, with the time per doubling (≈2 when linear). Engine figures are in-process medians
// of fresh engines; the LSP figures are one server over stdio.
import { createEngine } from '../../server/src/core';
import type { Engine } from '../../server/src/core';
import { LspClient } from '../helpers/lsp-client';
import { emptyDocuments, flowMapManifest, haproxyUnknownKeywords, numberAnnotations, openBrackets, sentinelHugeNumber, sentinelUnknownMasters, servicePortsOfWrongType, workloadFile } from './generate';

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const count = (n: number) => n.toLocaleString('en-US');

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/**
 * At each size, the median over RUNS fresh engines of `run` (which returns the time of the part
 * measured), after one run at the first size that is not counted (compilation, caches).
 */
function measureSizes(sizes: number[], run: (engine: Engine, size: number) => number): number[] {
  run(createEngine(), sizes[0]);
  return sizes.map((n) => median(Array.from({ length: RUNS }, () => run(createEngine(), n))));
}

/** A row: the three sizes' times, and each doubling's ratio. */
function row(what: string, sizes: number[], unit: string, times: number[]): string[] {
  const ratios = times.slice(1).map((t, i) => `×${(t / times[i]).toFixed(2)}`);
  return [`scaling: ${what}, ${sizes.map(count).join(' / ')} ${unit}`, times.map(ms).join(' / '), `${ratios.join(', ')} per doubling`];
}

/** Validates `text` as `uri`, then the text with `insert` at `at`: the time of the second validation. */
function editTime(engine: Engine, uri: string, text: string, at: number, insert: string): number {
  engine.validate({ uri, text });
  return time(() => engine.validate({ uri, text: text.slice(0, at) + insert + text.slice(at) }));
}

function emptyDocumentRows(base: number): string[][] {
  const sizes = [base, base * 2, base * 4];
  const uri = 'file:///bench/scaling/empty.yaml';
  const open = measureSizes(sizes, (e, n) => time(() => e.validate({ uri, text: emptyDocuments(n) })));
  const edit = measureSizes(sizes, (e, n) => {
    const text = emptyDocuments(n);
    return editTime(e, uri, text, text.length - 4 * Math.floor(n / 2), 'a: 1\n');
  });
  return [row('empty `---` documents, open → diagnostics', sizes, 'documents', open), row('same, one-line edit in the middle → diagnostics', sizes, 'documents', edit)];
}

function annotationRows(base: number): string[][] {
  const sizes = [base, base * 2, base * 4];
  const uri = 'file:///bench/scaling/annotations.yaml';
  const open = measureSizes(sizes, (e, n) => time(() => e.validate({ uri, text: numberAnnotations(n) })));
  const edit = measureSizes(sizes, (e, n) => {
    const text = numberAnnotations(n);
    return editTime(e, uri, text, text.indexOf(`k${n >> 1}: `), 'x');
  });
  return [row('one mapping of unquoted numbers (a problem each), open → diagnostics', sizes, 'keys', open), row('same, one-character edit → diagnostics', sizes, 'keys', edit)];
}

/** Rows of inputs that scale like one of the findings above: many alternatives (anyOf) failing, many "did you mean"s. */
function otherRows(): string[][] {
  const ports = [8_000, 16_000, 32_000];
  const anyOf = measureSizes(ports, (e, n) => time(() => e.validate({ uri: 'file:///bench/scaling/service.yaml', text: servicePortsOfWrongType(n) })));
  const masters = [2_000, 4_000, 8_000];
  const unknown = measureSizes(masters, (e, n) => time(() => e.validate({ uri: 'file:///bench/scaling/masters/sentinel.conf', text: sentinelUnknownMasters(n) })));
  const brackets = [100_000, 200_000, 400_000];
  const open = measureSizes(brackets, (e, n) => time(() => e.validate({ uri: 'file:///bench/scaling/brackets.yaml', text: openBrackets(n) })));
  const keywords = [8_000, 16_000, 32_000];
  const unknownKeywords = measureSizes(keywords, (e, n) => time(() => e.validate({ uri: 'file:///bench/scaling/haproxy.cfg', text: haproxyUnknownKeywords(n) })));
  return [
    row('a manifest value of that many `[` on one line', brackets, 'characters', open),
    row('haproxy.cfg of that many unknown keywords, each its own', keywords, 'lines', unknownKeywords),
    row('a Service whose ports\' targetPort fit neither integer nor string, open → diagnostics', ports, 'ports', anyOf),
    row('sentinel.conf of that many masters and as many lines naming unknown ones', masters, 'masters', unknown),
  ];
}

function workspaceRow(base: number): string[] {
  const sizes = [base, base * 2, base * 4];
  const times = measureSizes(sizes, (e, n) => {
    const files = Array.from({ length: n }, (_, i) => ({ uri: `file:///bench/scaling/ws/f${i}.yaml`, text: workloadFile(i) }));
    return time(() => {
      for (const f of files) e.setWorkspaceFile(f.uri, f.text, undefined, { keep: true });
      for (const f of files) e.validate(f);
    });
  });
  return row('files of a StatefulSet and its PDB, all read then all validated', sizes, 'files', times);
}

function sentinelRow(base: number): string[] {
  const sizes = [base, base * 2, base * 4];
  const times = measureSizes(sizes, (e, n) => time(() => e.validate({ uri: 'file:///bench/scaling/sentinel.conf', text: sentinelHugeNumber(n) })));
  return row('sentinel.conf with a number of that many digits', sizes, 'digits', times);
}

function flowMapRows(base: number): string[][] {
  const sizes = [base, base * 2, base * 4];
  const uri = 'file:///bench/scaling/flow.yaml';
  const times = measureSizes(sizes, (e, n) => time(() => e.validate({ uri, text: flowMapManifest(n) })));
  const huge = flowMapManifest(4_000_000);
  const [over] = measureSizes([1], (e) => time(() => e.validate({ uri, text: huge })));
  return [
    row('one-line flow mapping of unquoted numbers (a problem each) in a manifest', sizes, 'keys', times),
    [`4,000,000-key flow mapping (${(huge.length / 1e6).toFixed(0)} MB, past the 4 MB document limit): open → diagnostics`, ms(over), 'reported as not validated'],
  ];
}

/** One server: open a file of `n` empty documents, then an edit in the middle; both to diagnostics. */
async function emptyDocumentsLsp(n: number): Promise<string[][]> {
  const text = emptyDocuments(n);
  const uri = 'file:///bench/scaling/lsp-empty.yaml';
  const client = new LspClient({ pull: false });
  await client.initialize();
  let t = performance.now();
  await client.open(uri, text);
  await client.pushed(uri, 120_000);
  const open = performance.now() - t;
  const line = 4 + Math.floor(n / 2);
  const edits: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    await client.change(uri, { start: { line, character: 0 }, end: { line, character: 0 } }, i % 2 ? '#\n' : 'a: 1\n');
    await client.pushed(uri, 120_000);
    edits.push(performance.now() - t);
  }
  await client.shutdown();
  return [
    [`${count(n)} empty documents: LSP open → diagnostics`, ms(open), ''],
    [`same: LSP one-line edit → diagnostics`, ms(median(edits)), 'median of 5'],
  ];
}

/** Every scaling row, sized so the largest of each runs in a few seconds on two shared cores. */
export async function scalingRows(): Promise<string[][]> {
  return [
    ...emptyDocumentRows(24_000),
    ...(await emptyDocumentsLsp(160_000)),
    ...(await emptyDocumentsLsp(1_000_000)),
    ...annotationRows(8_000),
    workspaceRow(1_250),
    sentinelRow(12_500_000),
    ...flowMapRows(12_500),
    ...otherRows(),
  ];
}
