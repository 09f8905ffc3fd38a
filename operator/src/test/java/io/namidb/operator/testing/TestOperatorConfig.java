package io.namidb.operator.testing;

import io.namidb.operator.controller.OperatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link OperatorConfig} for tests: the production defaults, one watched namespace. */
public record TestOperatorConfig(
    List<String> namespaces,
    String image,
    int reconcileConcurrency,
    Duration statusRefresh,
    boolean purgeRemoveTombstones,
    boolean networkPolicies,
    Optional<String> operatorNamespace,
    Optional<String> extraFrom,
    boolean certManagerEnabled,
    String maxConcurrentWriterRollouts,
    LeaderElection leaderElection)
    implements OperatorConfig {
  public static final String IMAGE = "ghcr.io/namidb/namidb-writer:test";

  /** The operator's namespace the tests pretend (NetworkPolicies let its pods in). */
  public static final String OPERATOR_NAMESPACE = "namidb-system";

  public static TestOperatorConfig watching(String namespace) {
    return new TestOperatorConfig(
        List.of(namespace),
        IMAGE,
        10,
        Duration.ofSeconds(60),
        false,
        true,
        Optional.of(OPERATOR_NAMESPACE),
        Optional.empty(),
        false,
        "10%",
        election(false, "unused", namespace));
  }

  public TestOperatorConfig withReconcileConcurrency(int threads) {
    return new TestOperatorConfig(
        namespaces,
        image,
        threads,
        statusRefresh,
        purgeRemoveTombstones,
        networkPolicies,
        operatorNamespace,
        extraFrom,
        certManagerEnabled,
        maxConcurrentWriterRollouts,
        leaderElection);
  }

  public TestOperatorConfig withStatusRefresh(Duration every) {
    return new TestOperatorConfig(
        namespaces,
        image,
        reconcileConcurrency,
        every,
        purgeRemoveTombstones,
        networkPolicies,
        operatorNamespace,
        extraFrom,
        certManagerEnabled,
        maxConcurrentWriterRollouts,
        leaderElection);
  }

  public TestOperatorConfig withPurgeRemovingTombstones() {
    return new TestOperatorConfig(
        namespaces,
        image,
        reconcileConcurrency,
        statusRefresh,
        true,
        networkPolicies,
        operatorNamespace,
        extraFrom,
        certManagerEnabled,
        maxConcurrentWriterRollouts,
        leaderElection);
  }

  public TestOperatorConfig withoutNetworkPolicies() {
    return new TestOperatorConfig(
        namespaces,
        image,
        reconcileConcurrency,
        statusRefresh,
        purgeRemoveTombstones,
        false,
        operatorNamespace,
        extraFrom,
        certManagerEnabled,
        maxConcurrentWriterRollouts,
        leaderElection);
  }

  public TestOperatorConfig withExtraFrom(String json) {
    return new TestOperatorConfig(
        namespaces,
        image,
        reconcileConcurrency,
        statusRefresh,
        purgeRemoveTombstones,
        networkPolicies,
        operatorNamespace,
        Optional.of(json),
        certManagerEnabled,
        maxConcurrentWriterRollouts,
        leaderElection);
  }

  /** The operator's default writer image, e.g. after an upgrade. */
  public TestOperatorConfig withImage(String writerImage) {
    return new TestOperatorConfig(
        namespaces,
        writerImage,
        reconcileConcurrency,
        statusRefresh,
        purgeRemoveTombstones,
        networkPolicies,
        operatorNamespace,
        extraFrom,
        certManagerEnabled,
        maxConcurrentWriterRollouts,
        leaderElection);
  }

  public TestOperatorConfig withMaxConcurrentWriterRollouts(String limit) {
    return new TestOperatorConfig(
        namespaces,
        image,
        reconcileConcurrency,
        statusRefresh,
        purgeRemoveTombstones,
        networkPolicies,
        operatorNamespace,
        extraFrom,
        certManagerEnabled,
        limit,
        leaderElection);
  }

  /**
   * Takes part in leader election as {@code identity}, for the Lease in the watched namespace, with
   * short durations: a lease of 4 s renewed every 500 ms.
   */
  public TestOperatorConfig withLeaderElection(String identity) {
    return new TestOperatorConfig(
        namespaces,
        image,
        reconcileConcurrency,
        statusRefresh,
        purgeRemoveTombstones,
        networkPolicies,
        operatorNamespace,
        extraFrom,
        certManagerEnabled,
        maxConcurrentWriterRollouts,
        election(true, identity));
  }

  private LeaderElection election(boolean enabled, String identity) {
    return election(enabled, identity, namespaces.get(0));
  }

  private static LeaderElection election(boolean enabled, String identity, String namespace) {
    return new LeaderElection() {
      @Override
      public boolean enabled() {
        return enabled;
      }

      @Override
      public String leaseName() {
        return "namidb-operator";
      }

      @Override
      public Optional<String> leaseNamespace() {
        return Optional.of(namespace);
      }

      @Override
      public Optional<String> identity() {
        return Optional.of(identity);
      }

      @Override
      public Duration leaseDuration() {
        return Duration.ofSeconds(4);
      }

      @Override
      public Duration renewDeadline() {
        return Duration.ofSeconds(3);
      }

      @Override
      public Duration retryPeriod() {
        return Duration.ofMillis(500);
      }
    };
  }

  public TestOperatorConfig withCertManager() {
    return new TestOperatorConfig(
        namespaces,
        image,
        reconcileConcurrency,
        statusRefresh,
        purgeRemoveTombstones,
        networkPolicies,
        operatorNamespace,
        extraFrom,
        true,
        maxConcurrentWriterRollouts,
        leaderElection);
  }

  @Override
  public NetworkPolicy networkPolicy() {
    return new NetworkPolicy() {
      @Override
      public boolean enabled() {
        return networkPolicies;
      }

      @Override
      public Optional<String> operatorNamespace() {
        return TestOperatorConfig.this.operatorNamespace;
      }

      @Override
      public String operatorPodSelector() {
        return "app.kubernetes.io/name=namidb-operator";
      }

      @Override
      public Optional<String> extraFrom() {
        return TestOperatorConfig.this.extraFrom;
      }
    };
  }

  @Override
  public CertManager certManager() {
    return () -> certManagerEnabled;
  }

  @Override
  public Optional<List<String>> watchNamespaces() {
    return Optional.of(namespaces);
  }

  @Override
  public Duration statusRefreshInterval() {
    return statusRefresh;
  }

  @Override
  public Duration backupJobDeadline() {
    return Duration.ofHours(2);
  }

  @Override
  public Duration writerStatusTimeout() {
    return Duration.ofSeconds(1);
  }

  @Override
  public Writer writer() {
    return new Writer() {
      @Override
      public String image() {
        return image;
      }

      @Override
      public String imagePullPolicy() {
        return "IfNotPresent";
      }

      @Override
      public String command() {
        return "nami";
      }

      @Override
      public long terminationGracePeriodSeconds() {
        return 60;
      }

      @Override
      public long preStopSleepSeconds() {
        return 5;
      }

      @Override
      public Duration nodeFailureToleration() {
        return Duration.ofSeconds(30);
      }

      @Override
      public Duration startupTimeout() {
        return Duration.ofMinutes(10);
      }

      @Override
      public Resources resources() {
        return new Resources() {
          @Override
          public Map<String, String> requests() {
            return Map.of("cpu", "250m", "memory", "512Mi");
          }

          @Override
          public Map<String, String> limits() {
            return Map.of("memory", "1Gi");
          }
        };
      }
    };
  }
}
