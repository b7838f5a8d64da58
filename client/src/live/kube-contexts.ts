// The current kube context as a candidate: the kubeconfig files (KUBECONFIG, else ~/.kube/config)
// are read for context names only, and only in a trusted workspace. The Kubernetes client library
// is not loaded for this.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { workspace } from 'vscode';
import type { Candidate } from '../../../live/src/discovery';
import { kubeContextsOf, kubernetesCandidates } from '../../../live/src/discovery';

export async function kubeCandidates(env: NodeJS.ProcessEnv = process.env): Promise<Candidate[]> {
  if (!workspace.isTrusted) return [];
  const files = env.KUBECONFIG ? env.KUBECONFIG.split(delimiter).filter((f) => f !== '') : [join(homedir(), '.kube', 'config')];
  const texts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
  const { current, contexts } = kubeContextsOf(texts.filter((t) => t !== ''));
  const path = files.find((_, i) => texts[i] !== '');
  return path ? kubernetesCandidates(current, contexts, path) : [];
}
