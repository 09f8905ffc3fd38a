package io.namidb.operator.controller;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's configuration ({@code namidb.operator.*}, e.g. env {@code
 * NAMIDB_OPERATOR_WRITER_IMAGE}). Defaults for fields a NamiNamespace leaves unset come from here,
 * never from writes to its spec.
 */
@ConfigMapping(prefix = "namidb.operator")
public interface OperatorConfig {
  /** Kubernetes namespaces to watch, comma-separated; unset or empty: all namespaces. */
  Optional<List<String>> watchNamespaces();

  /** How many NamiNamespaces are reconciled at the same time. */
  @WithDefault("10")
  int reconcileConcurrency();

  /** How often a Ready namespace's writer is asked for /v1/status (epoch, manifest version). */
  @WithDefault("60s")
  Duration statusRefreshInterval();

  /** Timeout of one /v1/status request. */
  @WithDefault("2s")
  Duration writerStatusTimeout();

  /**
   * How long one scheduled backup Job may run before Kubernetes stops it (activeDeadlineSeconds):
   * the CronJob runs one backup at a time, so a stuck one would otherwise block every later run.
   */
  @WithDefault("2h")
  Duration backupJobDeadline();

  /**
   * Whether deletion with {@code Delete} or {@code BackupThenDelete} also removes the purge's
   * tombstones ({@code nami purge --remove-tombstones}), leaving nothing under the prefix. The
   * purge runs only once the operator has seen every writer pod of the resource gone; the
   * tombstones are what would stop a writer running elsewhere on the same storage (another cluster,
   * a pod force-deleted from a partitioned node) from resurrecting the namespace, so this is off
   * unless a platform knows no such writer exists.
   */
  @WithDefault("false")
  boolean purgeRemoveTombstones();

  /**
   * How many writers may restart at the same time for a change that comes from the operator (a new
   * default writer image, other configuration, a new operator version) rather than from the
   * resource: a count ({@code 2}) or a share of the running writers ({@code 10%}, rounded up); at
   * least one. The others keep their pod template until a slot frees. See {@code
   * docs/kubernetes.md}, "Upgrading the fleet".
   */
  @WithDefault("10%")
  String maxConcurrentWriterRollouts();

  /**
   * Leader election among the operator's replicas: only the holder of a Lease reconciles, the
   * others keep their caches warm and take over when it goes away.
   */
  LeaderElection leaderElection();

  /** Defaults of the writer pod and of the Jobs that run in the writer image. */
  Writer writer();

  /** The NetworkPolicy {@code <cr>-writer} of every tenant. */
  NetworkPolicy networkPolicy();

  /** cert-manager Certificates for {@code spec.writer.tls.certManager}. */
  CertManager certManager();

  /**
   * {@code namidb.operator.leader-election.*}. Active in the {@code prod} profile only
   * (quarkus.operator-sdk.activate-leader-election-for-profiles), so tests and dev mode run alone.
   */
  interface LeaderElection {
    /** Whether to take part in leader election (the chart runs two replicas). */
    @WithDefault("true")
    boolean enabled();

    /** Name of the {@code coordination.k8s.io} Lease. */
    @WithDefault("namidb-operator")
    String leaseName();

    /**
     * Namespace of the Lease: the chart sets the operator's own; unset, the client's namespace (in
     * a pod: its ServiceAccount's).
     */
    Optional<String> leaseNamespace();

    /** This replica's identity in the Lease; unset: the host name (in a pod: the pod name). */
    Optional<String> identity();

    /** How long a Lease is valid without renewal: the longest a new leader waits after a crash. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the leader keeps trying to renew before it gives up leading (and exits). */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates try to acquire, and the leader to renew. */
    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** {@code namidb.operator.network-policy.*}. */
  interface NetworkPolicy {
    /**
     * Whether each tenant gets a NetworkPolicy that lets only {@code spec.writer.clients} (default:
     * its own Kubernetes namespace) and the operator reach the writer's port.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The operator's own Kubernetes namespace (the chart sets it from the pod), so that its {@code
     * /v1/status} requests are let through. Unset: no rule for the operator (it runs outside the
     * cluster).
     */
    Optional<String> operatorNamespace();

    /** Label selector of the operator's pods in that namespace. */
    @WithDefault("app.kubernetes.io/name=namidb-operator")
    String operatorPodSelector();

    /**
     * More peers allowed to every tenant's writer port, as a JSON array of NetworkPolicyPeer (e.g.
     * the Prometheus that scrapes {@code /q/metrics}).
     */
    Optional<String> extraFrom();
  }

  /** {@code namidb.operator.cert-manager.*}. */
  interface CertManager {
    /**
     * Whether cert-manager is installed: only then does the operator watch and create its
     * Certificates (the API does not exist otherwise).
     */
    @WithDefault("false")
    boolean enabled();
  }

  /** {@code namidb.operator.writer.*}. */
  interface Writer {
    /** Image of the writer, and of its backup, restore and purge Jobs. */
    @WithDefault("ghcr.io/namidb/namidb-writer:0.1.0")
    String image();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** The {@code nami} launcher inside the image (on PATH by default). */
    @WithDefault("nami")
    String command();

    /** Time the writer gets after SIGTERM to commit what it accepted (DESIGN §8). */
    @WithDefault("60")
    long terminationGracePeriodSeconds();

    /**
     * The longest a writer may take to start: open, claim and replay the WAL, until {@code
     * /q/health/started} is UP (the startup probe's failure threshold at a 5 s period). A writer
     * still replaying after that is restarted.
     */
    @WithDefault("10m")
    Duration startupTimeout();

    /** preStop sleep, so the Service stops routing to the pod before it gets SIGTERM. */
    @WithDefault("5")
    long preStopSleepSeconds();

    /**
     * How long a writer pod stays on a node that is NotReady or unreachable before it is evicted
     * and replaced elsewhere (tolerationSeconds of {@code node.kubernetes.io/not-ready} and {@code
     * unreachable}; Kubernetes' default is 300 s). A resource's own {@code spec.writer.tolerations}
     * for these keys win. Safe because of epoch fencing: see docs/kubernetes.md. The same grace
     * decides when a writer pod stuck Terminating on such a node is force-deleted ({@link
     * StrandedWriterPods}).
     */
    @WithDefault("30s")
    Duration nodeFailureToleration();

    /** Default resources, e.g. {@code namidb.operator.writer.resources.requests.memory=512Mi}. */
    Resources resources();
  }

  /** Resource requests and limits by resource name. */
  interface Resources {
    Map<String, String> requests();

    Map<String, String> limits();
  }
}
