/**
 * Where the engine's YAML reading is known to differ from PyYAML's or kubectl's, with the reason.
 * Each is a corner of the YAML syntax that real configurations do not use, and none makes the
 * engine accept what the program refuses. The fuzz suite counts these apart instead of failing;
 * anything else fails.
 */
export interface KnownDifference {
  reason: string;
  /** Whether this difference explains `why` (the comparison's words) for `text`. */
  explains(text: string, why: string): boolean;
}

const weRefuseTheyRead = (why: string) => /we report .*(PyYAML|kubectl) reads/s.test(why);

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    reason:
      'a quoted value continued on a line indented less than its block: PyYAML and go-yaml read it, the `yaml` library reports the quote as unclosed (a false syntax error)',
    explains: (_text, why) => weRefuseTheyRead(why) && /MISSING_CHAR Missing closing ["']quote/.test(why),
  },
  {
    reason: 'an anchor or tag alone on a line before a key that spans lines: PyYAML reads the first line as a scalar document, the `yaml` library reports an unexpected `:`',
    explains: (text, why) => /^[&!]|^--- [&!]/m.test(text) && /^:/m.test(text) && /UNEXPECTED_TOKEN|PyYAML refuses/.test(why),
  },
  {
    reason: 'several `...` document end markers before a directive: the `yaml` library counts an empty document between them, PyYAML does not',
    explains: (text, why) => /\.\.\.\r?\n\.\.\.\r?\n%/.test(text) && /we read (null|\d+ documents)/.test(why),
  },
  {
    reason: 'a merge key after the keys it would override: go-yaml v2 lets it replace keys already read (their order decides), the `yaml` library keeps the explicit keys as YAML specifies',
    explains: (text, why) => text.includes('<<') && /^[^:]*: we read /.test(why) && /kubectl/.test(why),
  },
  {
    reason:
      'a block scalar with an explicit indentation indicator whose first line is more indented, followed by a line of spaces only: the `yaml` library ends the scalar before that line (it measures the first line, not the indicator), PyYAML and go-yaml keep it as content',
    explains: (text, why) => /[|>][-+]?[1-9][-+]?[ \t]*(#.*)?\r?$/m.test(text) && /we read /.test(why) && !/refuse|we report/.test(why),
  },
  {
    reason:
      'a line that starts with `%` inside a document, then `---`: PyYAML takes it for a directive that ends the document (an empty one where the line stands alone), the `yaml` library reports a plain value that starts with `%` (a false syntax error)',
    explains: (text, why) => /^%/m.test(text) && weRefuseTheyRead(why) && /directive indicator/.test(why),
  },
  {
    reason:
      'a tag or anchor before an alias (`!!str *a`): PyYAML reads an empty value with that tag and drops the alias, the `yaml` library reports that an alias cannot have properties (a false syntax error)',
    explains: (text, why) => /[!&]\S*[ \t]+\*/.test(text) && weRefuseTheyRead(why) && /ALIAS_PROPS/.test(why),
  },
  {
    reason:
      'a `!!binary` mapping key: PyYAML keeps the bytes as the key, the engine the decoded text (no Patroni setting has a binary key)',
    explains: (text, why) => /!!binary[ \t]+\S+[ \t]*:/.test(text) && /^[^:]*: we read /.test(why) && /"other":"bytes"/.test(why.replace(/\\"/g, '"')),
  },
];

/** The known difference that explains a disagreement, if one does. */
export function knownDifference(text: string, why: string): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find((k) => k.explains(text, why));
}
