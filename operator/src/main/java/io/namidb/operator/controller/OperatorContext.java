package io.namidb.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the reconciler hands its dependents through the JOSDK context (see {@link
 * NamiNamespaceReconciler#initContext}): the operator configuration and the rollout slots, so that
 * dependents need no injection and run the same under Quarkus and under a plain JOSDK operator in
 * tests; and, back from the writer Deployment's dependent, what it decided about a rollout.
 */
final class OperatorContext {
  private OperatorContext() {}

  /** What the writer Deployment's dependent decided in this reconciliation, if it ran. */
  static final class RolloutNote {
    private volatile WriterRollouts.Decision decision;

    WriterRollouts.Decision decision() {
      return decision;
    }

    void set(WriterRollouts.Decision decision) {
      this.decision = decision;
    }
  }

  static void put(Context<?> context, OperatorConfig config) {
    context.managedWorkflowAndDependentResourceContext().put(OperatorConfig.class, config);
  }

  static void put(Context<?> context, OperatorConfig config, WriterRollouts rollouts) {
    put(context, config);
    context.managedWorkflowAndDependentResourceContext().put(WriterRollouts.class, rollouts);
    context.managedWorkflowAndDependentResourceContext().put(RolloutNote.class, new RolloutNote());
  }

  static WriterRollouts rollouts(Context<?> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(WriterRollouts.class, WriterRollouts.class);
  }

  static RolloutNote rolloutNote(Context<?> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(RolloutNote.class, RolloutNote.class);
  }

  static OperatorConfig config(Context<?> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(OperatorConfig.class, OperatorConfig.class);
  }
}
