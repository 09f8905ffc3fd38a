package io.namidb.writer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

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
}
