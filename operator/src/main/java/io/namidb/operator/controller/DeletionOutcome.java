package io.namidb.operator.controller;

import io.namidb.operator.api.DeletionPolicy;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.controller.StatusAggregator.Deletion;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where the deletion of a NamiNamespace stands ({@link DeletionSequence#advance}): still under way,
 * or done with one {@link Fate} of its data. The fate alone decides what the operator says when the
 * finalizer goes: the Event (where one can be recorded), the log line and the counter {@code
 * namidb_operator_deletions_data_retained_total{reason}}, all under the same reason.
 */
sealed interface DeletionOutcome {

  /** Not done: the finalizer stays and the status shows {@code step} (a wait, or a failure). */
  record InProgress(Deletion step) implements DeletionOutcome {}

  /** Done: the finalizer may go. {@code message} says what became of the data, naming its URI. */
  record Done(Fate fate, String message) implements DeletionOutcome {

    /** The Job {@code <cr>-purge} succeeded. */
    static Done purged(String uri) {
      return new Done(Fate.PURGED, "the namespace's data was purged. uri=" + uri);
    }

    /** Policy Retain: nothing to run. */
    static Done retainedByPolicy(String uri) {
      return new Done(
          Fate.RETAINED_BY_POLICY,
          "deletionPolicy Retain: the data stays in object storage. uri=" + uri);
    }

    /**
     * Another resource ({@code holder}, namespace/name) holds the same storage namespace: its data
     * is not this resource's to back up or purge.
     */
    static Done heldByOtherResource(DeletionPolicy policy, String holder, String uri) {
      return new Done(
          Fate.HELD_BY_OTHER_RESOURCE,
          "another NamiNamespace, "
              + holder
              + ", uses the same storage namespace, so deletionPolicy "
              + policy
              + " was not carried out: nothing was backed up or purged, the data stays in object"
              + " storage untouched. holder="
              + holder
              + " uri="
              + uri);
    }

    /** The Kubernetes namespace is being deleted: the API server refused {@code job}. */
    static Done namespaceTerminating(String job, String uri) {
      return new Done(
          Fate.NAMESPACE_TERMINATING,
          "the Kubernetes namespace is being deleted and no Job can start in it, so job "
              + job
              + " cannot run: the data was NOT deleted (or not all of it) and stays in object"
              + " storage, as with deletionPolicy Retain. Delete it with `nami purge --uri "
              + uri
              + " --yes`; to have the operator delete it, delete the NamiNamespace and wait"
              + " until it is gone before deleting its namespace. uri="
              + uri);
    }

    /** The operator's log line about it (at {@link Fate#logLevel}). */
    String logLine(NamiNamespace cr) {
      return "deleted. namespace="
          + cr.getMetadata().getNamespace()
          + " name="
          + cr.getMetadata().getName()
          + " policy="
          + (cr.getSpec().getDeletionPolicy() == null
              ? DeletionPolicy.Retain
              : cr.getSpec().getDeletionPolicy())
          + " reason="
          + fate.reason()
          + " message="
          + message;
    }
  }

  /** What became of the data of a deleted resource. */
  enum Fate {
    /** Deleted by the purge Job, as the policy asked. */
    PURGED("Purged", EventRecorder.NORMAL, Logger.Level.INFO, false),
    /** Kept, as policy Retain asks. */
    RETAINED_BY_POLICY("RetainedByPolicy", EventRecorder.NORMAL, Logger.Level.INFO, true),
    /** Kept although the policy deletes: another resource holds the same storage namespace. */
    HELD_BY_OTHER_RESOURCE("HeldByOtherResource", EventRecorder.WARNING, Logger.Level.WARN, true),
    /**
     * Kept although the policy deletes: the Kubernetes namespace is terminating, so no Job can run
     * and no Event can be recorded. The reason predates the other ones and keeps its name.
     */
    NAMESPACE_TERMINATING("DataRetained", null, Logger.Level.WARN, true);

    private final String reason;
    private final String eventType;
    private final Logger.Level logLevel;
    private final boolean dataRetained;

    Fate(String reason, String eventType, Logger.Level logLevel, boolean dataRetained) {
      this.reason = reason;
      this.eventType = eventType;
      this.logLevel = logLevel;
      this.dataRetained = dataRetained;
    }

    /** The Event's reason, the log line's {@code reason=} and the metric's {@code reason} label. */
    String reason() {
      return reason;
    }

    /** {@link EventRecorder#NORMAL} or {@link EventRecorder#WARNING}; empty: no Event. */
    Optional<String> eventType() {
      return Optional.ofNullable(eventType);
    }

    Logger.Level logLevel() {
      return logLevel;
    }

    /** The reason label counted in {@code namidb.operator.deletions.data.retained}, if any. */
    Optional<String> retainedReason() {
      return dataRetained ? Optional.of(reason) : Optional.empty();
    }
  }
}
