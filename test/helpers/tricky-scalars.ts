/**
 * Plain scalars whose meaning differs between YAML readers: booleans in every case, nulls, integers
 * in every base with signs, underscores and leading zeros, base 60, floats with and without dots and
 * exponents, infinities, timestamps, and a few indicators. Used by the PyYAML and kubectl suites and
 * the block reader's tests.
 */

const cases = (w: string): string[] => [...new Set([w, w[0].toUpperCase() + w.slice(1), w.toUpperCase(), w.length > 1 ? w[0] + w[1].toUpperCase() + w.slice(2) : w])];

const WORDS = ['y', 'n', 'yes', 'no', 'true', 'false', 'on', 'off', 't', 'f', 'null', 'nan', 'inf', 'infinity'].flatMap(cases);

const NUMBERS = [
  '0', '00', '-0', '+0', '07', '08', '09', '0755', '-0755', '+0755', '0_7', '0_8', '007_55',
  '0b101', '0b', '0b_', '0b2', '-0b101', '+0b101', '0B101', '0b-101', '0b1_01', '0b_1',
  '0x1F', '0x1f', '-0x1F', '+0x1f', '0X1F', '0x', '0x_1F', '0xG', '0x1F_', '0o17', '0O17', '-0o17', '0o8', '0o',
  '1_000', '1__0', '_1', '1_', '10_', '1,000',
  '123456789012345678901234567890', '9007199254740993', '9223372036854775807', '9223372036854775808', '-9223372036854775808',
  '-9223372036854775809', '18446744073709551615', '18446744073709551616', '0x7FFFFFFFFFFFFFFF', '0x8000000000000000', '0xFFFFFFFFFFFFFFFFF',
  '1:30', '1:60', '1:5', '0:30', '-1:30', '+1:30:00', '1:30:', '01:30', '1_0:30', '190:20:30', '1:30.5', '1:30.', '-1:30.5', '0:30.5',
  '1.0', '1.', '-1.', '.5', '-.5', '+.5', '._5', '.5_5', '.5__5', '.5_', '.5e3', '.5e+3', '.5E-3', '.e3', '.',
  '1e3', '1E3', '1e+3', '1e-3', '-1e3', '1.0e3', '1.0e+3', '1.0E-3', '1.e+3', '1_0.5', '1.5_5', '1.0e+3_0', '1e_3', '1e3_0',
  '1e400', '1.0e+400', '-1.0e+400', '1e-400', '1.0e-400', '0.1', '-0.0', '+0.0', '3.14159265358979', '6.02e+23', '1e21', '123456.7',
  '.inf', '.Inf', '.INF', '.iNf', '-.inf', '+.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', '-.nan', '+.nan',
];

const OTHERS = [
  '~', '', '=', '<<', 'a=b', '0.0.0.0:5432', '10.0.0.1', '1.2.3', '1:2:3:4', '12:30:45', '1e3x', '0x1Fg', 'yes please', 'on-call',
  '2001-12-14', '2001-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-14 21:59:43.10', '2001-12-15T02:59:43.1Z',
  '2001-12-15 2:59:43.10', '2001-12-14T21:59:43+05:30', '2001-12-14T21:59:43.1234567 Z', '2002-12-14', '2001-02-29', '2000-02-29',
  '2001-02-30', '0000-01-01', '2001-12-14T25:00:00Z', '2001-12-14 21:59:60', '2001-12-14x', '20011-12-14',
];

/** Every tricky plain scalar, once. */
export const TRICKY_SCALARS: readonly string[] = [...new Set([...WORDS, ...NUMBERS, ...OTHERS])];

/** Those that can stand as a mapping key (not the empty key or the merge key). */
export const TRICKY_KEYS: readonly string[] = TRICKY_SCALARS.filter((s) => s !== '' && s !== '<<');
