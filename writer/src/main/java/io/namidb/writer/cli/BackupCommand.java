package io.namidb.writer.cli;

import io.namidb.engine.backup.Backups;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import io.namidb.engine.store.StoreLocation;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nami backup --uri URI --to URI [--keep-last N]}: a consistent copy of one manifest version
 * (its SSTs, the WAL after its checkpoint, the manifest last) into {@code <to>/<UTC
 * timestamp>-v<version>/}; prints that location on stdout, and {@code backed up N objects, B bytes}
 * on stderr. {@code --keep-last} prunes only backups of this namespace, so tenants may share a
 * destination.
 */
@Command(
    name = "backup",
    description = "Copy a consistent state of the namespace to <to>/<UTC timestamp>-v<version>/.",
    sortOptions = false)
public final class BackupCommand implements Callable<Integer>, CheckedCommand {
  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Option(
      names = "--to",
      paramLabel = "URI",
      required = true,
      description = "Backup destination: s3://bucket/path[?endpoint=…] or file:///dir")
  String to;

  @Option(
      names = "--keep-last",
      paramLabel = "N",
      description =
          "Afterwards keep only the newest N complete backups of this namespace (N >= 1);"
              + " backups of other namespaces under --to are never touched.")
  Integer keepLast;

  @Mixin HelpOption help;

  @Override
  public void check() {
    namespace.require();
    if (keepLast != null && keepLast < 1) {
      throw new ParameterException(
          spec.commandLine(), "--keep-last must be at least 1. keepLast=" + keepLast);
    }
    StoreLocation destination;
    try {
      destination = Stores.parseLocation(to, "--to");
    } catch (RuntimeException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    NamespaceUri uri = namespace.require();
    if (uri.root().encloses(destination)) {
      throw new ParameterException(
          spec.commandLine(),
          "--to lies inside the namespace's own prefix, where a purge would delete the backups;"
              + " back up to a location outside "
              + uri.root()
              + ". to="
              + to);
    }
  }

  @Override
  public Integer call() {
    NamespaceUri uri = namespace.require();
    StoreLocation destination = Stores.parseLocation(to, "--to");
    try (ObjectStore source = ObjectStores.open(uri);
        ObjectStore dest = Stores.open(destination, "NAMI_TO_", System.getenv())) {
      Backups.Taken taken =
          Backups.take(
              source,
              child -> Stores.open(destination.resolve(child), "NAMI_TO_", System.getenv()),
              Clock.systemUTC());
      StoreLocation location = destination.resolve(taken.name());
      spec.commandLine()
          .getErr()
          .printf("backed up %d objects, %d bytes%n", taken.objects(), taken.bytes());
      spec.commandLine().getOut().println(location);
      if (keepLast != null) {
        List<String> pruned = Backups.prune(dest, source.location(), keepLast, Clock.systemUTC());
        for (String p : pruned) {
          spec.commandLine().getErr().println("pruned " + destination.resolve(p));
        }
      }
    }
    return 0;
  }
}
