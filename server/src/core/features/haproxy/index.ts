import type { HaproxyModel } from '../../documents/haproxy';
import type { FormatSupport } from '../../types';

export const haproxyFeatures: Pick<FormatSupport<HaproxyModel>, 'complete' | 'hover' | 'symbols'> = {};
