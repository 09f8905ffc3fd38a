package io.namidb.writer.cli;

import io.namidb.engine.NamiException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code nami} command line: builds the picocli {@link CommandLine}, decides how the process
 * boots, runs commands and turns failures into messages and exit codes.
 *
 * <p>Exit codes: 0 success, 1 the command failed, 2 bad usage (unknown flag, missing or invalid
 * value, invalid URI), 3 refused because of what the store holds (a restore into a namespace that
 * holds other data, a backup of a purged namespace); nothing was written. Errors are one line on
 * stderr, {@code nami: error: ...}, naming the flag.
 */
public final class Cli {
  /** Exit code of a command that failed at run time. */
  public static final int EXIT_FAILED = 1;

  /** Exit code of bad usage, as picocli's {@link CommandLine.ExitCode#USAGE}. */
  public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  /**
   * Exit code of a command refused because of what the store holds ({@link
   * NamiException.Kind#CONFLICT}): e.g. {@code restore} into a namespace holding other data.
   */
  public static final int EXIT_CONFLICT = 3;

  private Cli() {}

  /**
   * What {@link NamiMain} does with a command line: exit at once with {@code exitCode} (help, bad
   * usage), or boot Quarkus with {@code bootProperties} set as system properties.
   *
   * @param exitCode the code to exit with now, or -1 to boot
   * @param bootProperties configuration for the boot (e.g. whether HTTP listens and on which port)
   */
  public record Launch(int exitCode, Map<String, String> bootProperties) {
    static Launch exit(int code) {
      return new Launch(code, Map.of());
    }

    static Launch boot(Map<String, String> properties) {
      return new Launch(-1, Map.copyOf(properties));
    }
  }

  /** A new command line with every subcommand, printing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new NamiCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Cli::usageError);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> failed(e, commandLine.getErr()));
    return cl;
  }

  /** Parses and checks {@code args} without running anything. */
  public static Launch prepare(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = commandLine(out, err);
    try {
      ParseResult parsed = cl.parseArgs(args);
      if (CommandLine.printHelpIfRequested(parsed)) {
        return Launch.exit(CommandLine.ExitCode.OK);
      }
      ParseResult leaf = parsed;
      while (leaf.hasSubcommand()) {
        leaf = leaf.subcommand();
      }
      Object command = leaf.commandSpec().userObject();
      if (command instanceof NamiCommand) {
        err.println("nami: error: missing command");
        cl.usage(err);
        return Launch.exit(EXIT_USAGE);
      }
      if (command instanceof CheckedCommand checked) {
        checked.check();
      }
      return Launch.boot(bootProperties(command));
    } catch (ParameterException e) {
      return Launch.exit(usageError(e, args));
    }
  }

  /** Parses and runs {@code args}; the exit code. */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return commandLine(out, err).execute(args);
  }

  /**
   * Only a {@link ServerCommand} listens on HTTP; every other command runs with the HTTP server
   * disabled, so it never binds a port (two CLI runs and a running writer can share a machine), and
   * logs on stderr with the framework quiet.
   */
  static Map<String, String> bootProperties(Object command) {
    Map<String, String> props = new LinkedHashMap<>();
    if (command instanceof ServerCommand server) {
      props.putAll(server.http().bootProperties());
    } else {
      props.put("quarkus.http.host-enabled", "false");
      props.put("quarkus.log.console.stderr", "true");
      props.put("quarkus.log.category.\"io.quarkus\".level", "WARN");
    }
    return props;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("nami: error: " + lowerFirst(e.getMessage()));
    err.println("run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage");
    return EXIT_USAGE;
  }

  private static int failed(Exception e, PrintWriter err) {
    if (e instanceof ParameterException p) {
      return usageError(p, new String[0]);
    }
    if (e instanceof NamiException n) {
      err.println("nami: error: " + n.getMessage());
      return switch (n.kind()) {
        case INVALID_INPUT -> EXIT_USAGE;
        case CONFLICT -> EXIT_CONFLICT;
        default -> EXIT_FAILED;
      };
    }
    err.println("nami: error: unexpected failure. cause=" + e);
    e.printStackTrace(err);
    return EXIT_FAILED;
  }

  static String lowerFirst(String s) {
    if (s == null || s.isEmpty() || s.length() > 1 && Character.isUpperCase(s.charAt(1))) {
      return s;
    }
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
