import type { PatroniModel } from '../../documents/yaml/patroni';
import type { Check } from '../../types';

export const patroniChecks: Check<PatroniModel>[] = [];
