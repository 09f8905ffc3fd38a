package io.namidb.writer.health;

import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.writer.service.WriterService;
import io.namidb.writer.service.WriterSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /q/health/live}: the process works. Up while starting, serving and stopping. Down when the
 * writer {@code FAILED} (a WAL write whose outcome stayed unknown, from which only a restart,
 * re-claim and replay, recovers), and when it has been {@code FENCED} for longer than {@code
 * nami.writer.fenced-liveness-grace}: a fenced writer first stays up and not ready (DESIGN §8),
 * then asks to be restarted, so that a pod fenced by a zombie that came back, or by {@code nami
 * load}, claims the namespace again instead of sitting unready forever.
 */
@Liveness
@ApplicationScoped
public class WriterLiveness implements HealthCheck {
  @Inject WriterService service;
  @Inject WriterSettings settings;

  @Override
  public HealthCheckResponse call() {
    State state = service.state();
    Optional<Duration> fenced = service.fencedFor();
    Duration grace = settings.writer().fencedLivenessGrace();
    boolean fencedTooLong = fenced.isPresent() && fenced.get().compareTo(grace) >= 0;
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("nami-writer-live")
            .status(state != State.FAILED && !fencedTooLong)
            .withData("state", state.name());
    fenced.ifPresent(d -> response.withData("fencedSeconds", d.toSeconds()));
    if (fencedTooLong) {
      response.withData(
          "reason",
          "fenced for longer than nami.writer.fenced-liveness-grace="
              + grace.toSeconds()
              + "s; a restart claims the namespace again. "
              + service.stateReason()
              + service.holder().map(h -> " holder: " + h.describe()).orElse(""));
    }
    return response.build();
  }
}
