package io.namidb.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The Kubernetes namespace a test class runs in, with a client defaulting to it.
 *
 * @param name the namespace name
 * @param client a client whose default namespace is {@code name}
 * @param kubeconfigYaml a kubeconfig for the API server, e.g. for an operator under test
 */
public record KubeTestNamespace(String name, KubernetesClient client, String kubeconfigYaml)
    implements AutoCloseable {

  /** Deletes the namespace (it stays Terminating: no namespace controller runs) and the client. */
  @Override
  public void close() {
    try {
      client.namespaces().withName(name).delete();
    } finally {
      client.close();
    }
  }
}
