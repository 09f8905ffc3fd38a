package io.namidb.writer.cli;

import io.namidb.engine.backup.Verify;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code nami verify --uri URI}: every object the newest manifest names exists with its size and
 * CRC32C, and the WAL after the checkpoint decodes. Exit code 1 when anything is wrong.
 */
@Command(
    name = "verify",
    description = "Check every object the newest manifest names; exit 1 on any problem.",
    sortOptions = false)
public final class VerifyCommand implements Callable<Integer>, CheckedCommand {
  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Mixin HelpOption help;

  @Override
  public void check() {
    namespace.require();
  }

  @Override
  public Integer call() {
    NamespaceUri uri = namespace.require();
    try (ObjectStore store = ObjectStores.open(uri)) {
      Verify.Report report = Verify.run(store);
      var out = spec.commandLine().getOut();
      out.printf(
          "%s %s: manifest version %d, %d ssts and %d wal segments checked, %d problems%n",
          report.ok() ? "ok" : "FAILED",
          uri,
          report.version(),
          report.sstsChecked(),
          report.walSegmentsChecked(),
          report.problems().size());
      report.problems().forEach(p -> out.println("  " + p));
      return report.ok() ? 0 : 1;
    }
  }
}
