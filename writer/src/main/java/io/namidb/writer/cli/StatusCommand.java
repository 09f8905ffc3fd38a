package io.namidb.writer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.namidb.engine.manifest.Manifest;
import io.namidb.engine.manifest.ManifestStore;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code nami status --uri URI}: prints the namespace's newest manifest version, writer epoch and
 * WAL checkpoint as JSON on stdout. Reads only: never takes the epoch, writes nothing.
 */
@Command(
    name = "status",
    description = "Print the namespace's manifest version, epoch and WAL checkpoint as JSON.",
    sortOptions = false)
public final class StatusCommand implements Callable<Integer>, CheckedCommand {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Mixin NamespaceOption namespace;

  @Mixin HelpOption help;

  @Override
  public void check() {
    namespace.require();
  }

  @Override
  public Integer call() throws Exception {
    NamespaceUri uri = namespace.require();
    ObjectNode out = JSON.createObjectNode();
    out.put("namespace", uri.name());
    out.put("uri", uri.toString());
    try (ObjectStore store = ObjectStores.open(uri)) {
      Optional<Manifest> latest = new ManifestStore(store).latest();
      Manifest m = latest.orElse(Manifest.empty());
      out.put("exists", latest.isPresent());
      out.put("manifestVersion", m.version());
      out.put("epoch", m.writerEpoch());
      out.put("walCheckpoint", m.walCheckpoint());
      out.put("writerId", m.writerId());
      out.put("createdAt", m.createdAt());
      out.put("sealed", m.sealed());
      out.put("ssts", m.ssts().size());
    }
    spec.commandLine().getOut().println(JSON.writeValueAsString(out));
    return 0;
  }
}
