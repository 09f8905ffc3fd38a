package io.namidb.writer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code nami}: the top command (DESIGN §8). Subcommands are listed here, one class each; {@code
 * backup}, {@code restore}, {@code purge}, {@code verify} and {@code load} are added beside {@link
 * ServeCommand} and {@link StatusCommand} the same way: a {@link Callable} returning the exit code,
 * {@link NamespaceOption} as a mixin for {@code --uri}, {@link CheckedCommand} for checks picocli
 * cannot express.
 */
@Command(
    name = "nami",
    description = "NamiDB: a property-graph database on object storage.",
    subcommands = {
      ServeCommand.class,
      StatusCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      PurgeCommand.class,
      VerifyCommand.class,
      LoadCommand.class,
      QueryCommand.class
    },
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Namespace URIs:",
      "  s3://BUCKET[/PATH]?ns=NAME[&endpoint=URL][&region=R][&pathStyle=true]",
      "  file:///ABSOLUTE/DIR?ns=NAME"
    })
public final class NamiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("nami: error: missing command");
    spec.commandLine().usage(spec.commandLine().getErr());
    return Cli.EXIT_USAGE;
  }
}
