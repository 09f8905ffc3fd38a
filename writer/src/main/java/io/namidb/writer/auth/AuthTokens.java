package io.namidb.writer.auth;

import io.namidb.writer.service.WriterSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The tokens in force, from the file {@code nami.http.auth-tokens} ({@code nami serve --auth-tokens
 * FILE}). Absent: authentication is off.
 *
 * <p><b>Rotation without a restart.</b> The thread {@code nami-auth-reload} reads the file every
 * {@code nami.http.auth-reload-interval} and puts a changed content in force once it parses. A
 * Kubernetes Secret mounted as a volume is replaced atomically, so a read never sees half a file. A
 * file that became unreadable or invalid leaves the previous tokens in force and is logged once per
 * content; the writer never falls back to "no authentication".
 */
@ApplicationScoped
public class AuthTokens {
  private static final Logger LOG = Logger.getLogger(AuthTokens.class);

  @Inject WriterSettings settings;

  private volatile Tokens current;
  private volatile Path file;
  private volatile Thread reloader;
  private byte[] loadedDigest;
  private String lastProblem;

  void onStart(@Observes StartupEvent event) {
    Optional<String> configured = settings.http().authTokens().filter(s -> !s.isBlank());
    if (configured.isEmpty()) {
      return;
    }
    file = Path.of(configured.get());
    byte[] content = read(file);
    current = Tokens.parse(new String(content, StandardCharsets.UTF_8), file.toString());
    loadedDigest = sha256(content);
    LOG.infof(
        "authentication on: bearer tokens required. file=%s read=%d write=%d",
        file, current.readCount(), current.writeCount());
    Thread t = new Thread(this::reloadLoop, "nami-auth-reload");
    t.setDaemon(true);
    reloader = t;
    t.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    Thread t = reloader;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Whether requests must carry a token. */
  public boolean enabled() {
    return current != null;
  }

  /** The tokens in force; empty when authentication is off. */
  public Optional<Tokens> current() {
    return Optional.ofNullable(current);
  }

  private void reloadLoop() {
    long interval = Math.max(100, settings.http().authReloadInterval().toMillis());
    while (true) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      reloadIfChanged();
    }
  }

  /** Reads the file again; puts it in force when it changed and parses. */
  synchronized void reloadIfChanged() {
    Path f = file;
    if (f == null) {
      return;
    }
    byte[] content;
    try {
      content = Files.readAllBytes(f);
    } catch (IOException e) {
      problem(
          "auth token file unreadable; the previous tokens stay in force. file="
              + f
              + " cause="
              + e.getClass().getSimpleName());
      return;
    }
    byte[] digest = sha256(content);
    if (Arrays.equals(digest, loadedDigest)) {
      return;
    }
    try {
      Tokens parsed = Tokens.parse(new String(content, StandardCharsets.UTF_8), f.toString());
      current = parsed;
      loadedDigest = digest;
      lastProblem = null;
      LOG.infof(
          "auth tokens reloaded. file=%s read=%d write=%d",
          f, parsed.readCount(), parsed.writeCount());
    } catch (Tokens.InvalidTokenFileException e) {
      problem(e.getMessage() + "; the previous tokens stay in force");
    }
  }

  private void problem(String message) {
    if (!message.equals(lastProblem)) {
      lastProblem = message;
      LOG.warn(message);
    }
  }

  private static byte[] read(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      throw new Tokens.InvalidTokenFileException(
          "auth token file unreadable. file=" + f + " cause=" + e.getClass().getSimpleName());
    }
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
