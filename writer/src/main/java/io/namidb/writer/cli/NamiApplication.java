package io.namidb.writer.cli;

import io.quarkus.runtime.QuarkusApplication;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Runs the command {@link NamiMain} validated, inside the booted application; its exit code. */
public final class NamiApplication implements QuarkusApplication {
  @Override
  public int run(String... args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    return Cli.execute(args, out, err);
  }
}
