package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.namidb.operator.api.LastBackupStatus;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.NamiNamespaceStatus;
import io.namidb.operator.api.Phase;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns status changes into Events: a new phase, a condition whose status or reason changed, a
 * newly finished backup, a finished restore. Comparing old and new status keeps it to one Event per
 * transition, however often the resource is reconciled.
 */
final class Transitions {
  private static final Logger LOG = Logger.getLogger(Transitions.class);
  private final EventRecorder events;

  Transitions(EventRecorder events) {
    this.events = events;
  }

  void record(Context<NamiNamespace> context, NamiNamespace cr, NamiNamespaceStatus status) {
    NamiNamespaceStatus old = cr.getStatus() == null ? new NamiNamespaceStatus() : cr.getStatus();
    if (old.getPhase() != status.getPhase()) {
      String message =
          status.condition(Constants.CONDITION_READY).map(Condition::getMessage).orElse("");
      emit(
          context,
          cr,
          status.getPhase() == Phase.Degraded || status.getPhase() == Phase.Failed,
          status.getPhase().name(),
          "phase "
              + (old.getPhase() == null ? "(none)" : old.getPhase().name())
              + " -> "
              + status.getPhase().name()
              + ": "
              + message);
    }
    Optional<Condition> readyBefore = old.condition(Constants.CONDITION_READY);
    Condition readyAfter = status.condition(Constants.CONDITION_READY).orElseThrow();
    if (old.getPhase() == status.getPhase()
        && readyBefore.isPresent()
        && !Objects.equals(readyBefore.get().getReason(), readyAfter.getReason())) {
      // Same phase, new reason: e.g. the steps of a deletion, or why a namespace is Degraded.
      emit(
          context,
          cr,
          status.getPhase() == Phase.Degraded || status.getPhase() == Phase.Failed,
          readyAfter.getReason(),
          readyAfter.getMessage());
    }
    for (String type :
        new String[] {
          Constants.CONDITION_WRITER_AVAILABLE, Constants.CONDITION_BACKUP_SCHEDULED,
        }) {
      Optional<Condition> before = old.condition(type);
      Condition after = status.condition(type).orElseThrow();
      if (before.isEmpty()
          || !Objects.equals(before.get().getStatus(), after.getStatus())
          || !Objects.equals(before.get().getReason(), after.getReason())) {
        boolean warning =
            StatusAggregator.FALSE.equals(after.getStatus())
                && !"Suspended".equals(after.getReason())
                && !"NoSchedule".equals(after.getReason())
                && !"Creating".equals(after.getReason())
                && !"Starting".equals(after.getReason())
                && !"Restoring".equals(after.getReason())
                && !StatusAggregator.PROGRESSING.equals(after.getReason())
                && !"WriterSuspended".equals(after.getReason())
                && !"Stopped".equals(after.getReason());
        emit(
            context,
            cr,
            warning,
            after.getReason(),
            type + " " + after.getStatus() + ": " + after.getMessage());
      }
    }
    LastBackupStatus before = old.getLastBackup();
    LastBackupStatus after = status.getLastBackup();
    if (after != null && (before == null || !Objects.equals(before.getJob(), after.getJob()))) {
      String message =
          status
              .condition(Constants.CONDITION_LAST_BACKUP_SUCCEEDED)
              .map(Condition::getMessage)
              .orElse("");
      boolean ok = Boolean.TRUE.equals(after.getSucceeded());
      emit(context, cr, !ok, ok ? "BackupSucceeded" : "BackupFailed", message);
    }
    if (status.getRestore() != null && !status.getRestore().equals(old.getRestore())) {
      emit(
          context,
          cr,
          false,
          "Restored",
          "restored the namespace. from=" + status.getRestore().getFrom());
    }
  }

  /**
   * The finalizer is about to go: one log line at the fate's level, and an Event with the fate's
   * reason and type unless the fate rules one out (a terminating namespace refuses new events).
   */
  void deleted(Context<NamiNamespace> context, NamiNamespace cr, DeletionOutcome.Done outcome) {
    DeletionOutcome.Fate fate = outcome.fate();
    LOG.log(fate.logLevel(), outcome.logLine(cr));
    fate.eventType()
        .ifPresent(
            type -> events.record(context.getClient(), cr, type, fate.reason(), outcome.message()));
  }

  private void emit(
      Context<NamiNamespace> context,
      NamiNamespace cr,
      boolean warning,
      String reason,
      String message) {
    events.record(
        context.getClient(),
        cr,
        warning ? EventRecorder.WARNING : EventRecorder.NORMAL,
        reason,
        message);
  }
}
