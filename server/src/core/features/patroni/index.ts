import type { PatroniModel } from '../../documents/yaml/patroni';
import type { FormatSupport } from '../../types';

export const patroniFeatures: Pick<FormatSupport<PatroniModel>, 'complete' | 'hover' | 'symbols'> = {};
