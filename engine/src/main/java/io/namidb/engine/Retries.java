package io.namidb.engine;

import dev.failsafe.RetryPolicy;
import java.time.Duration;

/** The retry policies of the engine, built in one place (Failsafe, jittered exponential). */
public final class Retries {
  private Retries() {}

  /**
   * Retries {@link NamiException.Kind#TRANSIENT} failures: {@code attempts} tries in all, backoff
   * from {@code initial} doubling up to {@code max}, with 25% jitter.
   */
  public static <T> RetryPolicy<T> transientFailures(int attempts, Duration initial, Duration max) {
    return RetryPolicy.<T>builder()
        .handleIf(Retries::isTransient)
        .withMaxAttempts(attempts)
        .withBackoff(initial, max)
        .withJitter(0.25)
        .build();
  }

  public static boolean isTransient(Throwable e) {
    return e instanceof NamiException n && n.kind() == NamiException.Kind.TRANSIENT;
  }

  /** Unwraps Failsafe's wrapper so callers see the engine's own exception. */
  public static RuntimeException unwrap(RuntimeException e) {
    if (e instanceof dev.failsafe.FailsafeException && e.getCause() instanceof RuntimeException r) {
      return r;
    }
    return e;
  }
}
