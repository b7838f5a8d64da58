export * from './json-schema';
export * from './pointer';
export * from '../suggest';
export * from './validate';
export { PATRONI_SCHEMA } from './schemas';
