package io.namidb.writer.cli;

/**
 * A command that serves HTTP. Every other command runs with the HTTP server disabled (see {@link
 * Cli#bootProperties}).
 */
public interface ServerCommand {
  /** How it listens: address, port, authentication, TLS. */
  HttpOptions http();
}
