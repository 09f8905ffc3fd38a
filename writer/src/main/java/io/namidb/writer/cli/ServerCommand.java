package io.namidb.writer.cli;

/**
 * A command that serves HTTP. Every other command runs with the HTTP server disabled (see {@link
 * Cli#bootProperties}).
 */
public interface ServerCommand {
  /** The port to listen on (0: any free port). */
  int port();
}
