package io.namidb.writer.cli;

import io.namidb.writer.auth.Tokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How {@code nami serve} listens (DESIGN §8): {@code --port}, {@code --host}, {@code
 * --auth-tokens}, {@code --insecure-no-auth}, {@code --tls-cert} and {@code --tls-key}, each also
 * from the environment. A mixin; {@link #check} refuses unsafe or broken combinations before
 * anything starts, {@link #bootProperties} turns them into the HTTP server's configuration.
 *
 * <p>Safe by default: without {@code --host} the writer listens on 127.0.0.1 only. Listening on any
 * other address needs {@code --auth-tokens}, or {@code --insecure-no-auth} to say that serving
 * every client without authentication is meant.
 */
public final class HttpOptions {
  /** The name of the writer's TLS configuration in the TLS registry. */
  static final String TLS_CONFIGURATION = "nami";

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "${env:NAMI_HTTP_PORT:-8080}",
      description = "HTTP port (env NAMI_HTTP_PORT; default 8080; 0 picks a free port).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "${env:NAMI_HTTP_HOST:-127.0.0.1}",
      description =
          "Address to listen on (env NAMI_HTTP_HOST; default 127.0.0.1). Any other than a"
              + " loopback address needs --auth-tokens (or --insecure-no-auth).")
  String host;

  @Option(
      names = "--auth-tokens",
      paramLabel = "FILE",
      defaultValue = "${env:NAMI_AUTH_TOKENS}",
      description =
          "Require 'Authorization: Bearer <token>' (env NAMI_AUTH_TOKENS): FILE has one"
              + " 'read <token>' or 'write <token>' per line, and is re-read when it changes.")
  Path authTokens;

  @Option(
      names = "--insecure-no-auth",
      description =
          "Serve a non-loopback --host without authentication: anyone who reaches the port can"
              + " read and write the namespace.")
  boolean insecureNoAuth;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      defaultValue = "${env:NAMI_TLS_CERT}",
      description =
          "Serve HTTPS with this PEM certificate chain (env NAMI_TLS_CERT; with --tls-key;"
              + " cert-manager's tls.crt). Re-read when it changes.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      defaultValue = "${env:NAMI_TLS_KEY}",
      description = "The PEM private key of --tls-cert (env NAMI_TLS_KEY; cert-manager's tls.key).")
  Path tlsKey;

  /** Whether the host is a loopback address (only this machine can connect). */
  boolean loopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  boolean tls() {
    return tlsCert != null;
  }

  /**
   * @throws ParameterException naming the option and the problem
   */
  void check() {
    if (port < 0 || port > 65535) {
      throw usage("invalid value for option '--port': must be 0..65535. port=" + port);
    }
    if (host == null || host.isBlank()) {
      throw usage("invalid value for option '--host': empty");
    }
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw usage(
          "invalid value for option '--host': not an address or a name this machine resolves."
              + " host="
              + host);
    }
    if (authTokens != null) {
      if (insecureNoAuth) {
        throw usage("--auth-tokens and --insecure-no-auth exclude each other: choose one");
      }
      try {
        Tokens.parse(Files.readString(authTokens, StandardCharsets.UTF_8), authTokens.toString());
      } catch (IOException e) {
        throw usage(
            "invalid value for option '--auth-tokens': cannot read the file. file="
                + authTokens
                + " cause="
                + e.getClass().getSimpleName());
      } catch (Tokens.InvalidTokenFileException e) {
        throw usage("invalid value for option '--auth-tokens': " + e.getMessage());
      }
    } else if (!loopback() && !insecureNoAuth) {
      throw usage(
          "--host "
              + host
              + " is not a loopback address, so other machines can connect: give --auth-tokens"
              + " FILE to require tokens, or --insecure-no-auth to serve them without"
              + " authentication");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw usage("--tls-cert and --tls-key go together: give both or neither");
    }
    if (tlsCert != null) {
      requirePem(tlsCert, "--tls-cert", "CERTIFICATE");
      requirePem(tlsKey, "--tls-key", "PRIVATE KEY");
    }
  }

  private void requirePem(Path file, String option, String kind) {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw usage(
          "invalid value for option '"
              + option
              + "': cannot read the file. file="
              + file
              + " cause="
              + e.getClass().getSimpleName());
    }
    if (!content.contains("-----BEGIN ") || !content.contains(kind + "-----")) {
      throw usage(
          "invalid value for option '"
              + option
              + "': not a PEM file holding a "
              + kind.toLowerCase(java.util.Locale.ROOT)
              + ". file="
              + file);
    }
  }

  /** The HTTP server's configuration, set before Quarkus boots. */
  Map<String, String> bootProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("quarkus.http.host-enabled", "true");
    props.put("quarkus.http.host", host);
    props.put("quarkus.http.port", Integer.toString(port));
    if (authTokens != null) {
      props.put("nami.http.auth-tokens", authTokens.toAbsolutePath().toString());
    }
    if (tlsCert != null) {
      String prefix = "quarkus.tls." + TLS_CONFIGURATION + ".";
      props.put(prefix + "key-store.pem.0.cert", tlsCert.toAbsolutePath().toString());
      props.put(prefix + "key-store.pem.0.key", tlsKey.toAbsolutePath().toString());
      props.put(prefix + "reload-period", "${nami.http.tls-reload-interval}");
      props.put("quarkus.http.tls-configuration-name", TLS_CONFIGURATION);
      props.put("quarkus.http.ssl-port", Integer.toString(port));
      props.put("quarkus.http.insecure-requests", "disabled");
    }
    return props;
  }

  /** What the log says about how the writer listens. */
  String describe() {
    return (tls() ? "https" : "http")
        + " host="
        + host
        + " port="
        + port
        + " auth="
        + (authTokens != null ? "tokens" : "none");
  }

  private ParameterException usage(String message) {
    return new ParameterException(mixee.commandLine(), message);
  }
}
