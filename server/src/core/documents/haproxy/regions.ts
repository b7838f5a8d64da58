import type { IncrementalSupport, Region } from '../../types';
import { isProxySection } from './catalog';
import type { HaproxyModel, Section } from './index';

/**
 * Regions of an HAProxy file: the text before the first section, then one per section. A proxy
 * depends on the defaults section it inherits from ("from <name>", else the last one before it).
 * Files with conditional blocks (.if) are not split.
 */
export const haproxyIncremental: IncrementalSupport<HaproxyModel> = {
  regions(model) {
    if (model.directives.length > 0) return undefined;
    const text = model.file.text;
    const out: Region[] = [{ id: model.preamble, start: 0, end: model.sections[0]?.start ?? text.length }];
    const named = new Map<string, Section>();
    let lastDefaults: Section | undefined;
    model.sections.forEach((s, i) => {
      const end = model.sections[i + 1]?.start ?? text.length;
      let deps: Section[] | undefined;
      if (s.type === 'defaults') {
        lastDefaults = s;
        if (s.name) named.set(s.name.text, s);
      } else if (isProxySection(s.type)) {
        const d = s.from ? named.get(s.from.text) : lastDefaults;
        if (d) deps = [d];
      }
      out.push({ id: s, start: s.start, end, deps });
    });
    return out;
  },

  restrict(model, keep) {
    const sections = model.sections.filter((s) => keep.has(s));
    const preamble = keep.has(model.preamble);
    const issues = preamble ? [...model.preambleIssues] : [];
    for (const s of sections) for (const issue of s.issues) issues.push(issue);
    return { ...model, sections, outside: preamble ? model.outside : [], preambleIssues: preamble ? model.preambleIssues : [], issues };
  },
};
