import type { HaproxyModel } from '../../documents/haproxy';
import type { Check } from '../../types';
import { argCount } from './arg-count';
import { checkRoleMismatch } from './check-role-mismatch';
import { detectionTime } from './detection-time';
import { duplicateProxy } from './duplicate-proxy';
import { duplicateServer } from './duplicate-server';
import { keywordIgnored } from './keyword-ignored';
import { keywordNotAllowed } from './keyword-not-allowed';
import { keywordVersion } from './keyword-version';
import { missingCheck } from './missing-check';
import { patroniTcpCheck } from './patroni-tcp-check';
import { shutdownSessions } from './shutdown-sessions';
import { slowDetection } from './slow-detection';
import { syntax } from './syntax';
import { timeSuffix } from './time-suffix';
import { undefinedBackend } from './undefined-backend';
import { unknownKeyword } from './unknown-keyword';
import { unknownOption } from './unknown-option';
import { valueFormat } from './value-format';
import { writeRouteReplica } from '../live';

export const haproxyChecks: Check<HaproxyModel>[] = [
  syntax,
  unknownKeyword,
  unknownOption,
  keywordVersion,
  keywordNotAllowed,
  keywordIgnored,
  argCount,
  valueFormat,
  timeSuffix,
  duplicateServer,
  duplicateProxy,
  undefinedBackend,
  missingCheck,
  patroniTcpCheck,
  shutdownSessions,
  checkRoleMismatch,
  detectionTime,
  slowDetection,
  writeRouteReplica,
];
