package io.namidb.writer.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the writer jar ({@code bin/nami}). The command line is parsed before Quarkus
 * boots: bad flags end the process with exit code 2 without starting anything, and the parsed
 * command decides the boot configuration ({@link Cli#prepare}): only {@code serve} listens on HTTP,
 * every other command runs with the HTTP server disabled and logs on stderr, so stdout carries
 * nothing but the command's output.
 */
@QuarkusMain
public final class NamiMain {
  private NamiMain() {}

  public static void main(String... args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Cli.Launch launch = Cli.prepare(args, out, err);
    if (launch.exitCode() >= 0) {
      out.flush();
      err.flush();
      System.exit(launch.exitCode());
      return;
    }
    launch.bootProperties().forEach(System::setProperty);
    Quarkus.run(NamiApplication.class, args);
  }
}
