package io.namidb.operator.controller;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;

/**
 * Leader election of the operator's replicas over a {@code coordination.k8s.io} Lease ({@code
 * namidb.operator.leader-election.*}). quarkus-operator-sdk looks up a bean of type {@link
 * LeaderElectionConfiguration} in the profiles of {@code
 * quarkus.operator-sdk.activate-leader-election-for-profiles} (default {@code prod}); without one
 * (disabled here) every replica would reconcile.
 *
 * <p>Every replica starts its informers; only the leader processes events. A leader that cannot
 * renew the Lease within the renew deadline exits ({@code exitOnStopLeading}), so a replica that
 * lost the Lease (partitioned from the API server, paused) never reconciles beside the new leader;
 * Kubernetes restarts it as a candidate. A leader that stops (SIGTERM) does not release the Lease:
 * the next one takes over once it expires, after at most the lease duration.
 */
public final class OperatorLeaderElection {
  /** The leader election of {@code config}, or empty when it is disabled. */
  public static Optional<LeaderElectionConfiguration> of(
      OperatorConfig config, boolean exitOnStopLeading) {
    OperatorConfig.LeaderElection election = config.leaderElection();
    if (!election.enabled()) {
      return Optional.empty();
    }
    LeaderElectionConfigurationBuilder builder =
        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(election.leaseName())
            .withLeaseDuration(election.leaseDuration())
            .withRenewDeadline(election.renewDeadline())
            .withRetryPeriod(election.retryPeriod())
            .withExitOnStopLeading(exitOnStopLeading);
    election.leaseNamespace().filter(ns -> !ns.isBlank()).ifPresent(builder::withLeaseNamespace);
    election.identity().filter(id -> !id.isBlank()).ifPresent(builder::withIdentity);
    return Optional.of(builder.build());
  }

  /** The CDI bean quarkus-operator-sdk asks for; null (no leader election) when disabled. */
  @Produces
  @Dependent
  @Unremovable
  LeaderElectionConfiguration leaderElection(OperatorConfig config) {
    return of(config, true).orElse(null);
  }
}
