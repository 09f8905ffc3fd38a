package io.namidb.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The extension behind {@link WithMinio}. */
public final class MinioExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(MinioExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    bucket(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == MinioBucket.class || type == MinioServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == MinioServer.class
        ? server(context)
        : bucket(context);
  }

  /**
   * The run-wide server, kept in the root store so JUnit closes it when the run ends. Its
   * credentials are also set as the system properties the AWS SDK's default credential chain reads
   * ({@code aws.accessKeyId}, {@code aws.secretAccessKey}), so code under test that uses the
   * default chain, as NamiDB does, reaches it.
   */
  private static MinioServer server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "server",
            key -> {
              MinioServer server = MinioServer.start();
              System.setProperty("aws.accessKeyId", MinioServer.ACCESS_KEY);
              System.setProperty("aws.secretAccessKey", MinioServer.SECRET_KEY);
              System.setProperty("aws.region", MinioServer.REGION);
              return server;
            },
            MinioServer.class);
  }

  private static MinioBucket bucket(ExtensionContext context) {
    ExtensionContext classContext = TestNames.classContext(context);
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "bucket",
            key -> server(context).createBucket(TestNames.uniqueFor(classContext)),
            MinioBucket.class);
  }
}
