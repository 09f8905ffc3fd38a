package io.namidb.operator.controller;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.namidb.operator.api.NamiNamespace;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Two NamiNamespaces whose {@code spec.storage} names the same namespace (same store, bucket, path
 * and {@code ns}) would run two writers that fence each other forever, and deleting either with
 * policy Delete would purge the other's data. The oldest resource (by creation time, then namespace
 * and name) holds the namespace; every other one is in conflict: it gets no writer, no Service, no
 * backups, phase Failed with reason {@code Conflict}, and its deletion never touches the data.
 */
final class StorageConflicts {
  private static final Comparator<NamiNamespace> AGE =
      Comparator.comparing((NamiNamespace r) -> r.getMetadata().getCreationTimestamp())
          .thenComparing(r -> r.getMetadata().getNamespace())
          .thenComparing(r -> r.getMetadata().getName());

  private StorageConflicts() {}

  /** The resource that holds {@code cr}'s storage namespace, when that is another one. */
  static Optional<NamiNamespace> holderOtherThan(NamiNamespace cr, Stream<NamiNamespace> all) {
    if (cr.getSpec() == null || cr.getSpec().getStorage() == null) {
      return Optional.empty();
    }
    String identity = StorageUris.identity(cr.getSpec().getStorage());
    return all.filter(r -> r.getSpec() != null && r.getSpec().getStorage() != null)
        .filter(r -> identity.equals(StorageUris.identity(r.getSpec().getStorage())))
        .min(AGE)
        .filter(holder -> !holder.getMetadata().getUid().equals(cr.getMetadata().getUid()));
  }

  /** {@link #holderOtherThan} among the resources the operator watches. */
  static Optional<NamiNamespace> holderOtherThan(NamiNamespace cr, Context<NamiNamespace> context) {
    return holderOtherThan(cr, context.getPrimaryCache().list());
  }

  static String describe(NamiNamespace holder) {
    return holder.getMetadata().getNamespace() + "/" + holder.getMetadata().getName();
  }

  /** Precondition of the writer's dependents: this resource holds its storage namespace. */
  public static class NoConflict implements Condition<Object, NamiNamespace> {
    @Override
    public boolean isMet(
        DependentResource<Object, NamiNamespace> dependent,
        NamiNamespace cr,
        Context<NamiNamespace> context) {
      return holderOtherThan(cr, context).isEmpty();
    }
  }
}
