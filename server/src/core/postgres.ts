/**
 * A PostgreSQL boolean setting as PostgreSQL reads the text it is given: on/off, true/false,
 * yes/no, 1/0 and unambiguous prefixes, any case. A YAML boolean or number is read as the text
 * it becomes (true, 1). Undefined when PostgreSQL would refuse the value.
 */
export function postgresBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  if (v === 'on' || v === '1' || 'true'.startsWith(v) || 'yes'.startsWith(v)) return true;
  if (v === 'of' || v === 'off' || v === '0' || 'false'.startsWith(v) || 'no'.startsWith(v)) return false;
  return undefined;
}
