package io.namidb.writer.cli;

import io.namidb.writer.service.WriterService;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code nami serve --uri URI [--port 8080] [--host 127.0.0.1] [--auth-tokens FILE] [--tls-cert
 * FILE --tls-key FILE]}: runs the namespace's writer and its HTTP API (DESIGN §8) until
 * SIGTERM/SIGINT, then stops intake, commits what was accepted and exits 0. Exits 1 when the
 * namespace cannot be opened (the reason is logged), 2 on bad usage ({@link HttpOptions#check}).
 */
@Command(
    name = "serve",
    description = "Run the writer of one namespace and its HTTP API until stopped.",
    sortOptions = false)
public final class ServeCommand implements Callable<Integer>, ServerCommand, CheckedCommand {
  private static final Logger LOG = Logger.getLogger(ServeCommand.class);

  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Mixin HttpOptions http;

  @Mixin HelpOption help;

  @Override
  public HttpOptions http() {
    return http;
  }

  @Override
  public void check() {
    namespace.require();
    http.check();
  }

  @Override
  public Integer call() {
    check();
    if (!http.loopback() && http.insecureNoAuth) {
      LOG.warnf(
          "serving without authentication on a non-loopback address (--insecure-no-auth): anyone"
              + " who reaches it can read and write the namespace. %s",
          http.describe());
    }
    WriterService service = Arc.container().instance(WriterService.class).get();
    StopSignals.install();
    service.start(namespace.require());
    Quarkus.waitForExit();
    return service.exitCode();
  }
}
