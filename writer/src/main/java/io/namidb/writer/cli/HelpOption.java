package io.namidb.writer.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help}, mixed into every command. */
public final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;
}
