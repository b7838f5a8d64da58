import type { PatroniModel } from '../../documents/yaml/patroni';
import { yamlSymbols } from '../../documents/yaml/symbols';
import { completeFromSchema, hoverFromSchema } from '../../schema/complete';
import { PATRONI_SCHEMA } from '../../schema/schemas';
import type { FormatSupport } from '../../types';

export const patroniFeatures: Pick<FormatSupport<PatroniModel>, 'complete' | 'hover' | 'symbols'> = {
  complete(model, offset) {
    return completeFromSchema(PATRONI_SCHEMA, model.file.text, offset);
  },
  hover(model, offset) {
    return model.document ? hoverFromSchema(PATRONI_SCHEMA, model.document.doc, offset) : undefined;
  },
  symbols(model) {
    return yamlSymbols(model.document?.doc.contents);
  },
};
