package io.namidb.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the reconciler hands its dependents through the JOSDK context (see {@link
 * NamiNamespaceReconciler#initContext}): the operator configuration, so that dependents need no
 * injection and run the same under Quarkus and under a plain JOSDK operator in tests.
 */
final class OperatorContext {
  private OperatorContext() {}

  static void put(Context<?> context, OperatorConfig config) {
    context.managedWorkflowAndDependentResourceContext().put(OperatorConfig.class, config);
  }

  static OperatorConfig config(Context<?> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(OperatorConfig.class, OperatorConfig.class);
  }
}
