import type { HaproxyModel } from '../../documents/haproxy';
import type { FormatSupport } from '../../types';
import { complete } from './complete';
import { hover } from './hover';
import { symbols } from './symbols';

export const haproxyFeatures: Pick<FormatSupport<HaproxyModel>, 'complete' | 'hover' | 'symbols'> = { complete, hover, symbols };
