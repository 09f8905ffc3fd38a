package io.namidb.writer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private Cli.Launch prepare(String... args) {
    return Cli.prepare(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void serveListensOnItsPort() {
    Cli.Launch launch = prepare("serve", "--uri", "file:///tmp/d?ns=demo", "--port", "9123");
    assertThat(launch.exitCode()).isEqualTo(-1);
    assertThat(launch.bootProperties())
        .containsEntry("quarkus.http.port", "9123")
        .containsEntry("quarkus.http.host-enabled", "true");
  }

  @Test
  void otherCommandsBootWithoutHttpAndLogOnStderr() {
    Cli.Launch launch = prepare("status", "--uri", "s3://bucket/data?ns=demo");
    assertThat(launch.exitCode()).isEqualTo(-1);
    assertThat(launch.bootProperties())
        .containsEntry("quarkus.http.host-enabled", "false")
        .containsEntry("quarkus.log.console.stderr", "true")
        .doesNotContainKey("quarkus.http.port");
  }

  @Test
  void usageErrorsExitTwoNamingTheFlag() {
    assertThat(prepare("serve", "--uri", "file:///tmp/d?ns=demo", "--verbose").exitCode())
        .isEqualTo(2);
    assertThat(err.toString()).contains("'--verbose'").contains("nami serve --help");
  }

  @Test
  void invalidUriQuotesTheValueAndTheRule() {
    assertThat(prepare("status", "--uri", "file:///tmp/d?ns=No").exitCode()).isEqualTo(2);
    assertThat(err.toString()).contains("'--uri'").contains("\"No\"").contains("DNS label");
  }

  @Test
  void portOutOfRange() {
    assertThat(prepare("serve", "--uri", "file:///tmp/d?ns=a", "--port", "-1").exitCode())
        .isEqualTo(2);
    assertThat(err.toString()).contains("'--port'").contains("port=-1");
  }

  @Test
  void helpAndMissingCommand() {
    assertThat(prepare("--help").exitCode()).isZero();
    assertThat(out.toString()).contains("serve").contains("status");
    assertThat(prepare().exitCode()).isEqualTo(2);
    assertThat(err.toString()).contains("missing command");
  }

  @Test
  void lowerFirstKeepsAcronyms() {
    assertThat(Cli.lowerFirst("Unknown option")).isEqualTo("unknown option");
    assertThat(Cli.lowerFirst("URI missing")).isEqualTo("URI missing");
  }

  @Test
  void serveListensOnLoopbackUnlessToldOtherwise() {
    Cli.Launch launch = prepare("serve", "--uri", "file:///tmp/d?ns=demo");
    assertThat(launch.bootProperties())
        .containsEntry("quarkus.http.host", "127.0.0.1")
        .doesNotContainKey("nami.http.auth-tokens")
        .doesNotContainKey("quarkus.http.ssl-port");
  }

  @Test
  void aNonLoopbackHostWithoutTokensIsRefused() {
    assertThat(prepare("serve", "--uri", "file:///tmp/d?ns=a", "--host", "0.0.0.0").exitCode())
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("--host 0.0.0.0 is not a loopback address")
        .contains("--auth-tokens")
        .contains("--insecure-no-auth");
  }

  @Test
  void insecureNoAuthServesANonLoopbackHostOnPurpose() {
    Cli.Launch launch =
        prepare("serve", "--uri", "file:///tmp/d?ns=a", "--host", "0.0.0.0", "--insecure-no-auth");
    assertThat(launch.exitCode()).isEqualTo(-1);
    assertThat(launch.bootProperties()).containsEntry("quarkus.http.host", "0.0.0.0");
  }

  @Test
  void tokensAndTlsBecomeServerConfiguration(@TempDir Path dir) throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "write 0123456789abcdef0123\n");
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nMII=\n-----END PRIVATE KEY-----\n");
    Cli.Launch launch =
        prepare(
            "serve",
            "--uri",
            "file:///tmp/d?ns=a",
            "--host",
            "0.0.0.0",
            "--port",
            "9443",
            "--auth-tokens",
            tokens.toString(),
            "--tls-cert",
            cert.toString(),
            "--tls-key",
            key.toString());
    assertThat(launch.exitCode()).as(err.toString()).isEqualTo(-1);
    assertThat(launch.bootProperties())
        .containsEntry("nami.http.auth-tokens", tokens.toAbsolutePath().toString())
        .containsEntry("quarkus.http.ssl-port", "9443")
        .containsEntry("quarkus.http.insecure-requests", "disabled")
        .containsEntry("quarkus.tls.nami.key-store.pem.0.cert", cert.toAbsolutePath().toString())
        .containsEntry("quarkus.http.tls-configuration-name", "nami");
  }

  @Test
  void badTokenFilesAndTlsPairsAreUsageErrors(@TempDir Path dir) throws Exception {
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "read short-secret\n");
    assertThat(
            prepare("serve", "--uri", "file:///tmp/d?ns=a", "--auth-tokens", tokens.toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("'--auth-tokens'")
        .contains("line=1")
        .contains("too short")
        .doesNotContain("short-secret");
    assertThat(
            prepare(
                    "serve",
                    "--uri",
                    "file:///tmp/d?ns=a",
                    "--auth-tokens",
                    dir.resolve("missing").toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(err.toString()).contains("cannot read the file");
    assertThat(
            prepare("serve", "--uri", "file:///tmp/d?ns=a", "--tls-cert", tokens.toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(err.toString()).contains("--tls-cert and --tls-key go together");
    assertThat(
            prepare(
                    "serve",
                    "--uri",
                    "file:///tmp/d?ns=a",
                    "--tls-cert",
                    tokens.toString(),
                    "--tls-key",
                    tokens.toString())
                .exitCode())
        .isEqualTo(2);
    assertThat(err.toString()).contains("not a PEM file holding a certificate");
  }
}
