package io.namidb.writer.cli;

import io.namidb.engine.IdGenerator;
import io.namidb.engine.backup.Restore;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.store.StoreLocation;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nami restore --from BACKUP_URI --uri URI}: restores a backup (or any copy of a namespace
 * prefix) into an empty or purged namespace; anything else is refused before writing. A namespace
 * already restored from this backup is left as it is, so running it again is safe.
 */
@Command(
    name = "restore",
    description = "Restore a backup (or a copied namespace prefix) into an empty namespace.",
    sortOptions = false)
public final class RestoreCommand implements Callable<Integer>, CheckedCommand {
  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Option(
      names = "--from",
      paramLabel = "BACKUP_URI",
      required = true,
      description = "A backup location printed by `nami backup`, or a copied namespace prefix")
  String from;

  @Mixin HelpOption help;

  @Override
  public void check() {
    namespace.require();
    try {
      Stores.parseLocation(from, "--from");
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  @Override
  public Integer call() {
    NamespaceUri uri = namespace.require();
    StoreLocation source = Stores.parseLocation(from, "--from");
    try (ObjectStore backup = Stores.open(source, "NAMI_FROM_", System.getenv());
        ObjectStore target = ObjectStores.open(uri)) {
      Restore.Result r = Restore.run(backup, target, IdGenerator.secure(), Clock.systemUTC());
      if (r.alreadyRestored()) {
        spec.commandLine()
            .getOut()
            .printf(
                "%s was already restored from %s (manifest version %d, source version %d);"
                    + " nothing to do%n",
                uri, source, r.version(), r.sourceVersion());
        return 0;
      }
      spec.commandLine()
          .getOut()
          .printf(
              "restored %s from %s: manifest version %d (source version %d), epoch %d, %d ssts,"
                  + " %d wal segments folded%n",
              uri,
              source,
              r.version(),
              r.sourceVersion(),
              r.epoch(),
              r.ssts(),
              r.walSegmentsFolded());
      for (Restore.Skipped s : r.skipped()) {
        // a newer source version was incomplete (a copy of a live prefix): say which and why
        spec.commandLine().getErr().printf("skipped source %s%n", s);
      }
    }
    return 0;
  }
}
