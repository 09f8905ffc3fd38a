package io.namidb.writer.cli;

import io.namidb.writer.service.WriterService;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nami serve --uri URI [--port 8080]}: runs the namespace's writer and its HTTP API (DESIGN
 * §8) until SIGTERM/SIGINT, then stops intake, commits what was accepted and exits 0. Exits 1 when
 * the namespace cannot be opened (the reason is logged).
 */
@Command(
    name = "serve",
    description = "Run the writer of one namespace and its HTTP API until stopped.",
    sortOptions = false)
public final class ServeCommand implements Callable<Integer>, ServerCommand, CheckedCommand {
  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "${env:NAMI_HTTP_PORT:-8080}",
      description = "HTTP port (env NAMI_HTTP_PORT; default 8080; 0 picks a free port).")
  int port;

  @Mixin HelpOption help;

  @Override
  public int port() {
    return port;
  }

  @Override
  public void check() {
    namespace.require();
    if (port < 0 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), "invalid value for option '--port': must be 0..65535. port=" + port);
    }
  }

  @Override
  public Integer call() {
    check();
    WriterService service = Arc.container().instance(WriterService.class).get();
    StopSignals.install();
    service.start(namespace.require());
    Quarkus.waitForExit();
    return service.exitCode();
  }
}
