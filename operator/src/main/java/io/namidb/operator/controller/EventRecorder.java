package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.namidb.operator.api.NamiNamespace;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events about a NamiNamespace ({@code kubectl describe nns} and {@code kubectl get
 * events} show them). Failing to write an event is logged, never fatal.
 */
final class EventRecorder {
  static final String NORMAL = "Normal";
  static final String WARNING = "Warning";

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  private final Clock clock;

  EventRecorder(Clock clock) {
    this.clock = clock;
  }

  void record(
      KubernetesClient client, NamiNamespace cr, String type, String reason, String message) {
    String time =
        DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(cr.getMetadata().getName() + ".")
            .withNamespace(cr.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(NamiNamespace.API_VERSION)
            .withKind(NamiNamespace.KIND)
            .withName(cr.getMetadata().getName())
            .withNamespace(cr.getMetadata().getNamespace())
            .withUid(cr.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(text)
            .withCount(1)
            .withFirstTimestamp(time)
            .withLastTimestamp(time)
            .withNewSource()
            .withComponent(Constants.EVENT_COMPONENT)
            .endSource()
            .withReportingComponent(Constants.EVENT_COMPONENT)
            .build();
    try {
      client.v1().events().inNamespace(cr.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "event not recorded. namespace=%s name=%s reason=%s error=%s",
          cr.getMetadata().getNamespace(), cr.getMetadata().getName(), reason, e.getMessage());
    }
  }
}
