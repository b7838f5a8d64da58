// A module-resolution hook for tests that run the Kubernetes support from source: @kubernetes/client-node
// gets the undici 7 that dist/kubernetes.js bundles (esbuild.mjs aliases it the same way). The library
// asks for undici 8, which does not load on the Node 20 this project supports.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const undici7 = pathToFileURL(createRequire(import.meta.url).resolve('undici')).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'undici' && context.parentURL?.includes('/node_modules/@kubernetes/client-node/')) return next(undici7, context);
  return next(specifier, context);
}
