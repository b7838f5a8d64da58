import type { PatroniModel } from '../../documents/yaml/patroni';
import type { Check } from '../../types';
import { authentication } from './authentication';
import { connectAddressLoopback } from './connect-address-loopback';
import { connectAddressWildcard } from './connect-address-wildcard';
import { dcsMissing } from './dcs-missing';
import { dcsMultiple } from './dcs-multiple';
import { duplicateKey } from './duplicate-key';
import { lagBytes } from './lag-bytes';
import { localParameter } from './local-parameter';
import { managedParameter } from './managed-parameter';
import { pgRewind } from './pg-rewind';
import { replicationParameters } from './replication-parameters';
import { schema } from './schema';
import { synchronousMode } from './synchronous-mode';
import { syntax } from './syntax';
import { timing } from './timing';
import { timingMinimum } from './timing-minimum';
import { unknownKey } from './unknown-key';
import { memberNotLive, memberUndescribed, splitBrain, syncStandbyMissing } from '../live';

export const patroniChecks: Check<PatroniModel>[] = [
  syntax,
  duplicateKey,
  schema,
  unknownKey,
  timing,
  timingMinimum,
  dcsMissing,
  dcsMultiple,
  authentication,
  connectAddressWildcard,
  connectAddressLoopback,
  pgRewind,
  replicationParameters,
  managedParameter,
  localParameter,
  synchronousMode,
  lagBytes,
  syncStandbyMissing,
  memberNotLive,
  memberUndescribed,
  splitBrain,
];
