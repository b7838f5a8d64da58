// What the Kubernetes provider is told: which kubeconfig, context and namespace. Types only, so the
// small provider module and the lazily loaded bundle share them without either importing the other.

export interface KubernetesOptions {
  /**
   * Kubeconfig files, merged as kubectl merges the files of KUBECONFIG: a path list (`a:b`) or an
   * array. Default: the KUBECONFIG environment variable, else ~/.kube/config (else the in-cluster
   * service account).
   */
  kubeconfig?: string | string[];
  /** The context to use; default: the kubeconfig's current-context. */
  context?: string;
  /** The namespace to read; default: the context's namespace, else every namespace the credentials can list. */
  namespace?: string;
  /** Deadline of calls made outside read() (listServedCrds, the list that starts each watch); default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** The operators whose clusters are read, as `details.operator` names them. */
export type OperatorName = 'cnpg' | 'zalando' | 'crunchy' | 'ot-redis';
