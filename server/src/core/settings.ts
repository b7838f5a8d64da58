import type { EngineSettings, FileKind, SeveritySetting } from './types';
import { DEFAULT_SETTINGS, FILE_KINDS } from './types';

export const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

/**
 * Turns the `hatopo` settings section (from VS Code, an LSP client or a CLI config file) into
 * EngineSettings, dropping what is malformed instead of failing; `warn` hears about each drop.
 */
export function readSettings(raw: unknown, warn: (message: string) => void = () => undefined): EngineSettings {
  const out: EngineSettings = { checks: {}, haproxy: { ...DEFAULT_SETTINGS.haproxy }, kubernetes: { ...DEFAULT_SETTINGS.kubernetes }, associations: {} };
  if (!raw || typeof raw !== 'object') return out;
  const r = raw as Record<string, unknown>;
  if (r.checks && typeof r.checks === 'object') {
    for (const [id, sev] of Object.entries(r.checks as Record<string, unknown>)) {
      if (SEVERITIES.includes(sev as SeveritySetting)) out.checks[id] = sev as SeveritySetting;
      else warn(`hatopo.checks["${id}"]: expected one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(sev)}`);
    }
  }
  const haproxy = r.haproxy as Record<string, unknown> | undefined;
  if (haproxy && typeof haproxy.version === 'string') {
    if (/^\d+\.\d+$/.test(haproxy.version)) out.haproxy.version = haproxy.version;
    else warn(`hatopo.haproxy.version: expected a version like "2.6", got ${JSON.stringify(haproxy.version)}`);
  }
  const kubernetes = r.kubernetes as Record<string, unknown> | undefined;
  if (kubernetes && typeof kubernetes.schemaValidation === 'string' && !('coreSchemaValidation' in kubernetes)) {
    // Outside VS Code nothing else validates built-in kinds: `auto` means on.
    out.kubernetes.coreSchemaValidation = kubernetes.schemaValidation !== 'off';
  }
  if (kubernetes && 'coreSchemaValidation' in kubernetes) {
    if (typeof kubernetes.coreSchemaValidation === 'boolean') out.kubernetes.coreSchemaValidation = kubernetes.coreSchemaValidation;
    else warn(`hatopo.kubernetes.coreSchemaValidation: expected true or false, got ${JSON.stringify(kubernetes.coreSchemaValidation)}`);
  }
  const files = r.files as Record<string, unknown> | undefined;
  const assoc = (files?.associations ?? r.associations) as Record<string, unknown> | undefined;
  if (assoc && typeof assoc === 'object') {
    for (const [glob, kind] of Object.entries(assoc)) {
      if (FILE_KINDS.includes(kind as FileKind)) out.associations[glob] = kind as FileKind;
      else warn(`hatopo.files.associations["${glob}"]: expected one of ${FILE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
    }
  }
  return out;
}
