package io.namidb.writer.health;

import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.writer.service.WriterService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * {@code /q/health/live}: the process works. Up while starting, serving, fenced (a fenced writer
 * stays up, not ready, DESIGN §8) and stopping. Down only when the writer {@code FAILED}: a WAL
 * write whose outcome stayed unknown, from which only a restart (re-claim and replay) recovers.
 */
@Liveness
@ApplicationScoped
public class WriterLiveness implements HealthCheck {
  @Inject WriterService service;

  @Override
  public HealthCheckResponse call() {
    State state = service.state();
    return HealthCheckResponse.named("nami-writer-live")
        .status(state != State.FAILED)
        .withData("state", state.name())
        .build();
  }
}
