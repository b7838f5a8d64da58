import type { HaproxyModel } from '../../documents/haproxy';
import type { Check } from '../../types';

export const haproxyChecks: Check<HaproxyModel>[] = [];
