// How deep a document nests and how far its aliases expand, measured without recursion, against
// what the reading programs accept and what hatopo validates. Both run in linear time.
import type { CST, Document, Node } from 'yaml';
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';

/**
 * The deepest nesting of collections hatopo validates. The `yaml` library composes documents and
 * builds values recursively (about 1 KB of stack a level), as do the schema validators and the
 * checks: 256 levels fit in half of Node's default stack, whatever frames lie below the engine.
 * Real configurations nest a few tens.
 */
export const MAX_VALIDATED_DEPTH = 256;

/**
 * PyYAML composes recursively, two Python frames a level, under Python's default recursion limit
 * of 1000: it stops with a RecursionError near 490 levels, and Patroni calls it from frames of
 * its own. Deeper than this, Patroni cannot read the file.
 */
export const PYYAML_MAX_DEPTH = 480;

/**
 * kubectl refuses a document nested deeper than 10,000 collections: go-yaml v2 stops past 10,000
 * nested block collections or flow collections ("exceeded max depth of 10000"), and Go's JSON
 * decoder, which reads the object converted from YAML, past 10,000 nested objects and arrays in all.
 */
export const KUBECTL_MAX_DEPTH = 10_000;

/**
 * The most nodes hatopo expands from aliases in a document PyYAML reads. PyYAML shares an aliased
 * value instead of copying it, so it reads any number; checks walk values as trees, so hatopo
 * stops where go-yaml's own limit would (about 400,000 aliased nodes in the largest documents).
 */
export const MAX_EXPANDED_ALIAS_NODES = 400_000;

/** What a document's CST says before it is composed: whether it has aliases, how deep it nests. */
export interface CstShape {
  aliases: boolean;
  /** For each of the limits asked about, the offset of the first collection (in document order) nested deeper, if any. */
  deeper: Array<number | undefined>;
}

/** One walk over a document's tokens, without recursion: its aliases, and where it first nests deeper than each limit. */
export function cstShape(doc: CST.Document, limits: readonly number[]): CstShape {
  const shape: CstShape = { aliases: false, deeper: limits.map(() => undefined) };
  const tokens: Array<CST.Token | undefined> = [doc.value];
  const depths: number[] = [0];
  while (tokens.length > 0) {
    const t = tokens.pop();
    let depth = depths.pop()!;
    if (!t) continue;
    if (t.type === 'alias') shape.aliases = true;
    if (t.type !== 'block-map' && t.type !== 'block-seq' && t.type !== 'flow-collection') continue;
    depth++;
    for (let i = 0; i < limits.length; i++) if (depth > limits[i] && shape.deeper[i] === undefined) shape.deeper[i] = t.offset;
    // Children in reverse, so that they come off the stack in document order.
    for (let i = t.items.length - 1; i >= 0; i--) {
      const item = t.items[i];
      tokens.push(item.value, item.key ?? undefined);
      depths.push(depth, depth);
    }
  }
  return shape;
}

/** What expanding a document's aliases amounts to, as a reading program counts it. */
export interface AliasExpansion {
  /** An alias inside the very node its anchor names: the value would contain itself. */
  cycle?: Node;
  /** The alias whose expansion goes past go-yaml v2's limit on aliasing (kubectl refuses the document). */
  goYamlRefuses?: Node;
  /** The alias whose expansion brings the aliased nodes past MAX_EXPANDED_ALIAS_NODES. */
  overBudget?: Node;
  /** Nodes the aliases expand to (saturating). */
  expanded: number;
}

const SATURATED = 1e15;

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || (key.value === '<<' && (key.type === undefined || key.type === 'PLAIN')));
}

/** go-yaml v2's decoder: the share of decoded nodes that may come from aliases, by the number decoded. */
function allowedAliasRatio(decoded: number): number {
  if (decoded <= 400_000) return 0.99;
  if (decoded >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decoded - 400_000) / 3_600_000);
}

/** The children go-yaml decodes for a node, in order: keys and values; a merge key's value only. */
function childrenOf(node: unknown, out: unknown[]): void {
  if (isMap(node)) {
    for (const item of node.items) {
      if (isMergeKey(item.key)) {
        // A merge of a sequence decodes its items, not the sequence itself.
        if (isSeq(item.value)) for (const x of item.value.items) out.push(x);
        else out.push(item.value);
      } else {
        out.push(item.key, item.value);
      }
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      if (isPair(item)) out.push(item.key, item.value);
      else out.push(item);
    }
  }
}

/**
 * Measures the aliases of a composed document: which anchor each alias names (the last one before
 * it), how many nodes expanding each gives (memoised, so a "billion laughs" costs its own size),
 * and go-yaml v2's running check of aliased against decoded nodes, in document order.
 */
export function measureAliases(doc: Document.Parsed): AliasExpansion {
  const result: AliasExpansion = { expanded: 0 };
  // Document order: what each alias names, and the nodes as go-yaml decodes them outside aliases.
  const target = new Map<Node, Node | undefined>();
  const anchors = new Map<string, Node>();
  const order: Node[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    order.push(node as Node);
    if (isAlias(node)) {
      target.set(node, anchors.get(node.source));
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node as Node);
    const children: unknown[] = [];
    childrenOf(node, children);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  if (target.size === 0) return result;

  // Nodes decoded for each node, an alias counting itself and what it names; a node reached again
  // through an alias while its own size is being counted is a cycle.
  const size = new Map<Node, number>();
  const open = new Set<Node>();
  const sizeOf = (root: Node): number => {
    const work: Array<{ node: Node; expanded: boolean }> = [{ node: root, expanded: false }];
    while (work.length > 0) {
      const top = work[work.length - 1];
      const { node } = top;
      if (size.has(node)) {
        work.pop();
        continue;
      }
      const children: unknown[] = [];
      if (isAlias(node)) {
        const t = target.get(node);
        if (t) children.push(t);
      } else {
        childrenOf(node, children);
      }
      const nodes = children.filter((c): c is Node => !!c && typeof c === 'object');
      if (!top.expanded) {
        top.expanded = true;
        open.add(node);
        for (const c of nodes) {
          if (open.has(c)) {
            result.cycle ??= node;
            continue;
          }
          if (!size.has(c)) work.push({ node: c, expanded: false });
        }
        continue;
      }
      let total = 1;
      for (const c of nodes) total += size.get(c) ?? 0;
      size.set(node, Math.min(total, SATURATED));
      open.delete(node);
      work.pop();
    }
    return size.get(root) ?? 1;
  };

  // go-yaml's running count: the document node, then every node outside an alias's expansion.
  let decoded = 1;
  let aliased = 0;
  const refuses = () => aliased > 100 && decoded > 1000 && aliased / decoded > allowedAliasRatio(decoded);
  for (const node of order) {
    decoded++;
    if (!isAlias(node)) {
      if (!result.goYamlRefuses && refuses()) result.goYamlRefuses = node;
      continue;
    }
    const t = target.get(node);
    if (!t) continue;
    const s = sizeOf(t);
    if (result.cycle) return result;
    decoded = Math.min(decoded + s, SATURATED);
    aliased = Math.min(aliased + s, SATURATED);
    if (!result.goYamlRefuses && refuses()) result.goYamlRefuses = node;
    if (!result.overBudget && aliased > MAX_EXPANDED_ALIAS_NODES) result.overBudget = node;
  }
  result.expanded = aliased;
  return result;
}
