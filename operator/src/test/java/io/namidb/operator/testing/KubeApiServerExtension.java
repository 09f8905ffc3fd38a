package io.namidb.operator.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.namidb.testkit.TestNames;
import io.namidb.testkit.Testbin;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The extension behind {@link WithKubeApiServer}. Values live in JUnit stores as {@link
 * AutoCloseable}s, so the namespace goes when its class ends and the API server when the run ends,
 * also after failures. When a test fails it prints {@link Diagnostics} of the class's namespace.
 */
public final class KubeApiServerExtension
    implements BeforeAllCallback, ParameterResolver, TestWatcher {
  /** System property naming the Kubernetes version dev/testbin built (set by the build). */
  public static final String VERSION_PROPERTY = "namidb.k8s.version";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KubeApiServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    testNamespace(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesClient.class || type == KubeTestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    KubeTestNamespace ns = testNamespace(context);
    return parameter.getParameter().getType() == KubernetesClient.class ? ns.client() : ns;
  }

  /** Prints what the operator left in the class's namespace: CR status, events, objects. */
  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    try {
      KubeTestNamespace ns = testNamespace(context);
      System.err.println(Diagnostics.describe(ns.client(), ns.name()));
    } catch (RuntimeException e) {
      System.err.println("diagnostics failed: " + e);
    }
  }

  private static RunningApiServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent("server", key -> RunningApiServer.start(), RunningApiServer.class);
  }

  private static KubeTestNamespace testNamespace(ExtensionContext context) {
    ExtensionContext classContext = TestNames.classContext(context);
    String name = TestNames.uniqueFor(classContext);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "namespace", key -> server(context).newNamespace(name), KubeTestNamespace.class);
  }

  /** One kube-apiserver + etcd for the whole run. */
  static final class RunningApiServer implements AutoCloseable {
    private final KubeAPIServer server;
    private final String kubeconfigYaml;

    private RunningApiServer(KubeAPIServer server, String kubeconfigYaml) {
      this.server = server;
      this.kubeconfigYaml = kubeconfigYaml;
    }

    static RunningApiServer start() {
      // Fail with the install command rather than kube-api-test's generic message.
      Testbin.binary("kube-apiserver");
      Testbin.binary("etcd");
      String version = System.getProperty(VERSION_PROPERTY);
      if (version == null
          || version.isBlank()
          || !Files.isDirectory(Testbin.dir().resolve("k8s").resolve(version + "-linux-amd64"))) {
        throw new IllegalStateException(
            "kube-apiserver of the pinned version missing: run dev/testbin. version="
                + version
                + " dir="
                + Testbin.dir().resolve("k8s"));
      }
      KubeAPIServer server =
          new KubeAPIServer(
              KubeAPIServerConfigBuilder.anAPIServerConfig()
                  .withTestDir(Testbin.dir().toString())
                  .withOfflineMode(true)
                  .withApiServerVersion(version)
                  .withStartupTimeout(120_000)
                  .build());
      server.start();
      return new RunningApiServer(server, server.getKubeConfigYaml());
    }

    KubeTestNamespace newNamespace(String name) {
      KubernetesClient client =
          new KubernetesClientBuilder()
              .withConfig(Config.fromKubeconfig(null, kubeconfigYaml, null))
              .build();
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
      client.getConfiguration().setNamespace(name);
      return new KubeTestNamespace(name, client, kubeconfigYaml);
    }

    @Override
    public void close() {
      server.stop();
    }
  }
}
