package io.namidb.engine.testing;

import io.namidb.engine.FencedException;
import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.WriterConfig;
import io.namidb.engine.model.Node;
import io.namidb.engine.model.NodeKey;
import io.namidb.engine.model.WriteBatch;
import io.namidb.engine.store.NamespaceUri;
import io.namidb.engine.store.ObjectStore;
import io.namidb.engine.store.ObjectStores;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * A writer in its own OS process, for fencing and crash tests. Writes nodes {@code Person/PREFIX-i}
 * for i = 0, 1, ... (COUNT of them, or until fenced or killed) with up to CONCURRENCY in flight,
 * and reports on stdout, one line each, flushed:
 *
 * <pre>
 * ready EPOCH WRITER_ID FENCE_SEGMENT
 * ack KEY LSN          (only after the write is durable)
 * fenced KEY
 * failed KEY MESSAGE
 * done
 * </pre>
 *
 * Exit code 0 when done, 3 when fenced, 1 on any other failure.
 *
 * <p>Usage: {@code WriterProcess URI PREFIX COUNT CONCURRENCY}
 */
public final class WriterProcess {
  /** The schema these tests write under: Person nodes with the writer's name. */
  public static final String SCHEMA =
      "{\"labels\":{\"Person\":{\"key\":\"STRING\",\"properties\":{\"writer\":\"STRING\"}}}}";

  private WriterProcess() {}

  public static void main(String[] args) throws Exception {
    String uri = args[0];
    String prefix = args[1];
    int count = Integer.parseInt(args[2]);
    int concurrency = Integer.parseInt(args[3]);
    PrintStream out = System.out;
    ObjectStore store = ObjectStores.open(NamespaceUri.parse(uri));
    NamespaceWriter writer = NamespaceWriter.open(store, WriterConfig.defaults());
    writer.evolveSchema(new com.fasterxml.jackson.databind.ObjectMapper().readTree(SCHEMA));
    line(out, "ready " + writer.epoch() + " " + writer.writerId() + " " + writer.walSegment());
    Semaphore inFlight = new Semaphore(concurrency);
    boolean[] fenced = {false};
    for (int i = 0; i < count && !fenced[0]; i++) {
      inFlight.acquire();
      String key = prefix + "-" + i;
      CompletableFuture<Long> f =
          writer.write(
              WriteBatch.builder()
                  .node(new Node(NodeKey.of("Person", key), Map.of("writer", prefix)))
                  .build());
      f.whenComplete(
          (lsn, error) -> {
            if (error == null) {
              line(out, "ack " + key + " " + lsn);
            } else if (error instanceof FencedException) {
              fenced[0] = true;
              line(out, "fenced " + key);
            } else {
              line(out, "failed " + key + " " + error.getMessage());
            }
            inFlight.release();
          });
    }
    inFlight.acquire(concurrency);
    if (writer.state() == NamespaceWriter.State.FENCED) {
      line(out, "fenced-exit " + writer.stateReason());
      System.exit(3);
    }
    writer.close();
    line(out, "done");
    System.exit(0);
  }

  private static synchronized void line(PrintStream out, String text) {
    out.println(text);
    out.flush();
  }
}
