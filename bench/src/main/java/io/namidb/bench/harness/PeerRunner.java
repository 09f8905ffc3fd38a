package io.namidb.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a peer engine's program ({@code bench/peers/NAME}, built by the bench module's build into
 * {@code target/classes} and {@code target/lib}) in a JVM of its own: it reads the {@link PeerSpec}
 * as JSON and writes a {@link PeerReport} as JSON.
 */
public final class PeerRunner {
  private final Path peerDir;
  private final String mainClass;
  private final List<String> jvmOptions;

  /**
   * A runner of one peer program.
   *
   * @param peerDir its project directory, e.g. {@code bench/peers/neo4j}
   * @param mainClass its main class
   * @param jvmOptions options of its JVM (heap, module opens)
   */
  public PeerRunner(Path peerDir, String mainClass, List<String> jvmOptions) {
    this.peerDir = peerDir;
    this.mainClass = mainClass;
    this.jvmOptions = jvmOptions;
  }

  /** Runs the peer on {@code spec}; its output goes to this process's console. */
  public PeerReport run(PeerSpec spec, Path workDir) throws IOException, InterruptedException {
    Path classes = peerDir.resolve("target/classes");
    Path lib = peerDir.resolve("target/lib");
    if (!Files.isDirectory(classes) || !Files.isDirectory(lib)) {
      throw new IllegalStateException(
          "peer program not built; the bench module's build makes it (bench/run does too). dir="
              + peerDir);
    }
    ObjectMapper json = new ObjectMapper();
    String name = peerDir.getFileName().toString();
    Path specFile = workDir.resolve(name + "-spec.json");
    Path reportFile = workDir.resolve(name + "-report.json");
    json.writeValue(specFile.toFile(), spec);
    Files.deleteIfExists(reportFile);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classes + File.pathSeparator + lib + File.separator + "*");
    command.add(mainClass);
    command.add(specFile.toString());
    command.add(reportFile.toString());
    Process process = new ProcessBuilder(command).inheritIO().start();
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("peer failed. peer=" + name + " exit=" + exit);
    }
    return json.readValue(reportFile.toFile(), PeerReport.class);
  }
}
