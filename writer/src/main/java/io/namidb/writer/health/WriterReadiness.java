package io.namidb.writer.health;

import io.namidb.engine.graph.NamespaceWriter;
import io.namidb.engine.graph.NamespaceWriter.State;
import io.namidb.writer.service.WriterService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** {@code /q/health/ready}: up only while this process holds the namespace ({@code WRITER}). */
@Readiness
@ApplicationScoped
public class WriterReadiness implements HealthCheck {
  @Inject WriterService service;

  @Override
  public HealthCheckResponse call() {
    State state = service.state();
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named("nami-writer")
            .status(state == State.WRITER)
            .withData("state", state.name());
    if (service.namespace() != null) {
      b.withData("namespace", service.namespace().name());
    }
    NamespaceWriter w = service.writerOrNull();
    if (w != null) {
      b.withData("epoch", w.epoch());
    }
    String reason = service.stateReason();
    if (!reason.isEmpty()) {
      b.withData("reason", reason);
    }
    return b.build();
  }
}
