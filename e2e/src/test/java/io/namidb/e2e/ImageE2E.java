package io.namidb.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The images dev/images built, as a container engine runs them: non-root uid 10001, a read-only
 * root filesystem, and the README's quickstart served by {@code podman run} of the writer image on
 * a local directory.
 */
class ImageE2E {
  private static final String WRITER = "ghcr.io/namidb/namidb-writer:0.1.0";
  private static final String OPERATOR = "ghcr.io/namidb/namidb-operator:0.1.0";

  @Test
  void bothImagesRunAsUid10001() {
    for (String image : new String[] {WRITER, OPERATOR}) {
      assertThat(podman("image", "inspect", "--format", "{{.Config.User}}", image).trim())
          .as(image)
          .isEqualTo("10001:10001");
    }
  }

  @Test
  void podmanRunOfTheWriterImageServesTheQuickstartOnAReadOnlyRoot() throws Exception {
    Path data = Files.createTempDirectory("nami-image-e2e");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    // The image listens on every address, so it needs tokens (README, docs/writer.md).
    Path tokens = Files.createTempFile("nami-image-e2e", ".tokens");
    String token = "image-e2e-write-token-0123456789";
    Files.writeString(tokens, "write " + token + "\n");
    Files.setPosixFilePermissions(tokens, PosixFilePermissions.fromString("rw-r--r--"));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String name = "nami-image-e2e-" + port;
    podman(
        "run",
        "--detach",
        "--name",
        name,
        "--read-only",
        "--network",
        "host",
        "--ulimit",
        "nofile=1024:1024",
        "--ulimit",
        "nproc=1024:1024",
        "--env",
        "NAMI_HTTP_PORT=" + port,
        "--volume",
        data + ":/data",
        "--volume",
        tokens + ":/tokens:ro",
        WRITER,
        "serve",
        "--uri",
        "file:///data?ns=demo",
        "--auth-tokens",
        "/tokens");
    try {
      WriterApi api = new WriterApi("http://127.0.0.1:" + port, Duration.ofSeconds(5), token);
      await("the writer in the container is ready")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(() -> api.get("/q/health/ready").code() == 200);
      assertThat(
              new WriterApi("http://127.0.0.1:" + port, Duration.ofSeconds(5))
                  .get("/v1/status")
                  .code())
          .as("no token: refused")
          .isEqualTo(401);
      Graph.write(api);
      Graph.assertServed(api);
      var nearest =
          api.post(
                  "/v1/vectors/search",
                  "{\"label\":\"E2ePerson\",\"property\":\"emb\",\"vector\":[1.0,0.0,0.0],\"k\":1}")
              .require(200)
              .json();
      assertThat(nearest.at("/results/0/key").asText()).isEqualTo("e2e-alice");
      assertThat(podman("exec", name, "id", "-u").trim()).isEqualTo("10001");
      // SIGTERM: commits what it accepted and exits 0; the data is in the mounted directory.
      podman("stop", "--time", "30", name);
      assertThat(podman("inspect", "--format", "{{.State.ExitCode}}", name).trim()).isEqualTo("0");
      assertThat(data.resolve("demo")).isDirectory();
    } finally {
      Proc.run(Duration.ofMinutes(1), Map.of(), "dev/images", "podman", "rm", "--force", name);
    }
  }

  private static String podman(String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "dev/images";
    command[1] = "podman";
    System.arraycopy(args, 0, command, 2, args.length);
    return Proc.run(Duration.ofMinutes(2), Map.of(), command).requireSuccess().stdout();
  }
}
