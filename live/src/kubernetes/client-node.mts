// The parts of @kubernetes/client-node used here, named so that the bundle keeps only what they
// need. An .mts file is always an ES module: run from source, it imports the library (an ES
// module) as one, where a CommonJS require would take a different path through its dependencies.
export { CoreV1Api, CustomObjectsApi, KubeConfig, Observable, PolicyV1Api, Watch } from '@kubernetes/client-node';
