package io.namidb.writer.cli;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.backup.Purge;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nami purge --uri URI --yes [--remove-tombstones]}: seals and fences the namespace for
 * good, then deletes its objects; the tombstones that keep a paused writer from resurrecting it go
 * too only with {@code --remove-tombstones}. Without {@code --yes} it only says what it would
 * delete.
 */
@Command(
    name = "purge",
    description = "Fence the namespace for good, then delete it (dry run without --yes).",
    sortOptions = false)
public final class PurgeCommand implements Callable<Integer>, CheckedCommand {
  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Option(names = "--yes", description = "Really delete; without it, only print what would go.")
  boolean yes;

  @Option(
      names = "--remove-tombstones",
      description =
          "Also delete the seal and fence objects, leaving the prefix empty. Only when no writer"
              + " of the namespace can still be running anywhere: one that is could then write"
              + " into the empty prefix as if it were new.")
  boolean removeTombstones;

  @Mixin HelpOption help;

  @Override
  public void check() {
    namespace.require();
    if (removeTombstones && !yes) {
      throw new ParameterException(
          spec.commandLine(), "--remove-tombstones needs --yes: it deletes what a dry run lists");
    }
  }

  @Override
  public Integer call() {
    NamespaceUri uri = namespace.require();
    try (ObjectStore store = ObjectStores.open(uri)) {
      if (!yes) {
        Purge.Plan plan = Purge.plan(store);
        var out = spec.commandLine().getOut();
        out.printf(
            "would purge %s: %d objects, %d bytes (run again with --yes)%n",
            uri, plan.objects(), plan.bytes());
        plan.sample().forEach(k -> out.println("  " + k));
        return 0;
      }
      Purge.Plan done = Purge.run(store, IdGenerator.secure(), Clock.systemUTC(), removeTombstones);
      var out = spec.commandLine().getOut();
      if (removeTombstones) {
        out.printf(
            "purged %s: deleted %d objects, %d bytes, tombstones included; the prefix is empty%n",
            uri, done.objects(), done.bytes());
      } else {
        out.printf(
            "purged %s: deleted %d objects, %d bytes; kept the seal and fence %s%n",
            uri, done.objects(), done.bytes(), done.sample());
      }
    }
    return 0;
  }
}
