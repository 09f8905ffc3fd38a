package io.namidb.writer.cli;

import picocli.CommandLine.ParameterException;

/**
 * A command whose options need checks beyond what picocli's annotations express (a value from an
 * environment variable, a range). {@link Cli#prepare} calls {@link #check} before Quarkus boots, so
 * a bad value ends the process with exit code 2 at once.
 */
public interface CheckedCommand {
  /**
   * @throws ParameterException naming the option and the bad value
   */
  void check();
}
