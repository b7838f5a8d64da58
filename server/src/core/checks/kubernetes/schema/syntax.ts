import type { KubernetesModel } from '../../../documents/yaml/kubernetes';
import type { YamlProblem } from '../../../documents/yaml/yaml-document';
import type { Check } from '../../../types';

export const syntax: Check<KubernetesModel> = {
  id: 'kubernetes/syntax',
  scope: 'region',
  defaultSeverity: 'error',
  docs: {
    title: 'A manifest document is not valid YAML',
    summary:
      '`kubectl apply` and the API server refuse a manifest that does not parse, and with it every other object of the same file. The usual causes are a tab used for indentation, a key indented differently from its siblings, an unclosed quote or bracket, or the same key written twice in one mapping.\n\nIt also reports what kubectl refuses before or beyond the YAML itself: a character YAML refuses anywhere in the document, comments included (NUL, other control characters, DEL, U+FFFE, U+FFFF: "control characters are not allowed"), aliases that expand far beyond the document ("document contains excessive aliasing", as go-yaml counts it) or an anchor whose value contains its own alias, nesting deeper than 10,000 levels, and a document kubectl never reads because its `---` follows a lone CR, NEL, LS or PS line break (kubectl splits a file into documents at line feeds only, and ignores what follows the first document).\n\nEach `---` document is read on its own, so one broken document does not hide the problems of the others. Fix the reported spot; the schema and HA checks of that document run again once it parses.',
    bad: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: pg\n   namespace: db\n',
    good: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: pg\n  namespace: db\n',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const chunk of ctx.model.chunks) {
      const problems: YamlProblem[] = [...chunk.errors, ...chunk.documents.flatMap((d) => d.yaml.errors)];
      for (const e of problems) {
        // Keep the report inside its own chunk (an error at the chunk's end would belong to the next
        // one) and at least one character wide so it can be seen.
        const last = Math.max(chunk.start, chunk.end - 1);
        let start = Math.min(Math.max(e.start, chunk.start), last);
        if (start === e.end && start === chunk.end - 1 && text[start] === '\n' && start > chunk.start) start--;
        const end = Math.min(Math.max(e.end, start + 1), chunk.end);
        const what = e.code === 'DUPLICATE_KEY' ? `${e.message.replace(/\.?\s*$/, '')}; kubectl rejects duplicate fields, so keep one of them` : `YAML syntax error: ${e.message.replace(/\.?\s*$/, '')}; fix the YAML so kubectl can read the document`;
        ctx.report({ start, end, message: e.sentence ? e.message : `${what}.` });
      }
    }
  },
};
