package io.namidb.writer.health;

import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.writer.service.WriterService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * {@code /q/health/started}: UP once the open finished (probe, claim, WAL replay, fence), whatever
 * came of it. DOWN while {@code STARTING}: a Kubernetes startup probe on it holds liveness and
 * readiness back during a long replay, and its failure threshold bounds the replay time.
 */
@Startup
@ApplicationScoped
public class WriterStarted implements HealthCheck {
  @Inject WriterService service;

  @Override
  public HealthCheckResponse call() {
    State state = service.state();
    return HealthCheckResponse.named("nami-writer-started")
        .status(state != State.STARTING)
        .withData("state", state.name())
        .build();
  }
}
