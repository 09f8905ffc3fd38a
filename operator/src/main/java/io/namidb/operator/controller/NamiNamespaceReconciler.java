package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ContextInitializer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.timer.TimerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.NamiNamespaceStatus;
import io.namidb.operator.controller.StatusAggregator.Observed;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles a {@link NamiNamespace}: the workflow keeps the writer Deployment, its Service and the
 * backup CronJob as the spec says; then one {@link StatusAggregator} turns what exists into the
 * status, patched only when it changed, with an Event for every transition. Deletion runs the
 * {@link DeletionSequence} behind the finalizer {@value Constants#FINALIZER}.
 *
 * <p>Besides the dependents' informers it watches, by label, the Jobs (scheduled, final backup,
 * purge) and the pods (writer, Jobs) of its NamiNamespaces: the pods say why a writer is not ready
 * and where a backup went, the Jobs say how the last backup ended. A writer pod stuck Terminating
 * on a lost node is force-deleted ({@link StrandedWriterPods}).
 */
@Workflow(
    dependents = {
      @Dependent(
          name = "writer-deployment",
          type = WriterDeploymentDependentResource.class,
          reconcilePrecondition = StorageConflicts.NoConflict.class),
      @Dependent(
          name = "writer-service",
          type = WriterServiceDependentResource.class,
          reconcilePrecondition = StorageConflicts.NoConflict.class),
      @Dependent(
          name = "writer-network-policy",
          type = WriterNetworkPolicyDependentResource.class,
          reconcilePrecondition = WriterNetworkPolicyDependentResource.Enabled.class),
      @Dependent(
          name = "backup-cronjob",
          type = BackupCronJobDependentResource.class,
          reconcilePrecondition = BackupCronJobDependentResource.ScheduleSet.class)
    })
@ControllerConfiguration(
    name = NamiNamespaceReconciler.NAME,
    finalizerName = Constants.FINALIZER,
    // A safety net after retries ran out (e.g. the API server refused for a while): every
    // resource is looked at again at least this often. Unchanged ones cost no write.
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class NamiNamespaceReconciler
    implements Reconciler<NamiNamespace>,
        ConfigurableReconciler<NamiNamespace>,
        Cleaner<NamiNamespace>,
        ContextInitializer<NamiNamespace> {
  public static final String NAME = "naminamespace";

  private static final Logger LOG = Logger.getLogger(NamiNamespaceReconciler.class);
  private static final Duration DELETION_RECHECK = Duration.ofSeconds(30);
  private static final Duration CONFLICT_RECHECK = Duration.ofSeconds(30);

  private final OperatorConfig config;
  private final WriterStatusClient writerStatus;
  private final StatusAggregator aggregator;
  private final Transitions transitions;
  private final Clock clock;
  private final TenantMetrics tenantMetrics;
  private final WriterRollouts rollouts;
  private final StrandedWriterPods strandedPods;

  /** Wakes tenants queued for a rollout slot when one frees ({@link WriterRollouts}). */
  private final TimerEventSource<NamiNamespace> rolloutQueue =
      new TimerEventSource<>("rollout-queue", false);

  @Inject
  public NamiNamespaceReconciler(
      OperatorConfig config,
      WriterStatusClient writerStatus,
      Clock clock,
      MeterRegistry meterRegistry) {
    this.config = config;
    this.writerStatus = writerStatus;
    this.clock = clock;
    this.aggregator = new StatusAggregator(clock);
    EventRecorder events = new EventRecorder(clock);
    this.transitions = new Transitions(events);
    this.strandedPods = new StrandedWriterPods(config, clock, events);
    this.tenantMetrics = new TenantMetrics(meterRegistry);
    this.rollouts =
        new WriterRollouts(WriterRollouts.Limit.parse(config.maxConcurrentWriterRollouts()), clock);
  }

  /** Applies {@code namidb.operator.watch-namespaces} (all namespaces when unset or empty). */
  @Override
  public void updateConfigurationFrom(ControllerConfigurationOverrider<NamiNamespace> overrider) {
    WatchedNamespaces.apply(config, overrider);
  }

  @Override
  public void initContext(NamiNamespace cr, Context<NamiNamespace> context) {
    OperatorContext.put(context, config, rollouts);
  }

  @Override
  public List<EventSource<?, NamiNamespace>> prepareEventSources(
      EventSourceContext<NamiNamespace> context) {
    InformerEventSourceConfiguration<Job> jobs =
        InformerEventSourceConfiguration.from(Job.class, NamiNamespace.class)
            .withName("jobs")
            .withLabelSelector(Constants.MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(NamiNamespaceReconciler::byInstanceLabel)
            .withNamespacesInheritedFromController()
            .build();
    InformerEventSourceConfiguration<Pod> pods =
        InformerEventSourceConfiguration.from(Pod.class, NamiNamespace.class)
            .withName("pods")
            .withLabelSelector(Constants.MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(NamiNamespaceReconciler::byInstanceLabel)
            .withNamespacesInheritedFromController()
            .build();
    @SuppressWarnings({"unchecked", "rawtypes"})
    EventSource<?, NamiNamespace> queue = (EventSource) rolloutQueue;
    return List.of(
        new InformerEventSource<>(jobs, context), new InformerEventSource<>(pods, context), queue);
  }

  private static Set<ResourceID> byInstanceLabel(io.fabric8.kubernetes.api.model.HasMetadata r) {
    Map<String, String> labels = r.getMetadata().getLabels();
    String instance = labels == null ? null : labels.get(Constants.INSTANCE_LABEL);
    return instance == null
        ? Set.of()
        : Set.of(new ResourceID(instance, r.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<NamiNamespace> reconcile(NamiNamespace cr, Context<NamiNamespace> context) {
    // A writer pod stuck Terminating on a lost node would hold the Recreate rollout forever.
    Optional<Duration> untilStrandedReleased = strandedPods.release(cr, context);
    Optional<Secret> generatedAuth = Optional.empty();
    if (StorageConflicts.holderOtherThan(cr, context).isEmpty()) {
      generatedAuth = WriterAuthSecrets.reconcile(cr, context.getClient());
      WriterCertificates.reconcile(cr, context.getClient(), config);
    }
    WriterRollouts.Decision rollout = OperatorContext.rolloutNote(context).decision();
    String rolloutQueued = rollout == null ? null : rollout.queuedMessage();
    Observed observed =
        observe(cr, context, true, null, generatedAuth).withRolloutQueued(rolloutQueued);
    wakeRolloutQueue(cr, context);
    NamiNamespaceStatus status = aggregator.aggregate(cr, observed, null);
    transitions.record(context, cr, status);
    logReachabilityChange(cr, status);
    tenantMetrics.update(cr, status);
    boolean restoreJustDone =
        WriterDeploymentDependentResource.restorePending(cr)
            && status.getRestore() != null
            && status.getRestore().getFrom().equals(cr.getSpec().getRestore().getFrom());
    UpdateControl<NamiNamespace> control =
        status.equals(cr.getStatus())
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(withStatus(cr, status));
    if (restoreJustDone) {
      // The next reconcile drops the restore init container from the writer pod.
      return control.rescheduleAfter(Duration.ofMillis(1));
    }
    if (observed.conflict() != null) {
      // Nothing changes on this resource when the holder goes away: look again.
      return control.rescheduleAfter(
          StrandedWriterPods.earliest(Optional.of(CONFLICT_RECHECK), untilStrandedReleased)
              .orElseThrow());
    }
    // A writer that did not answer (or whose Secret is missing or wrong, which nothing the
    // operator watches would announce) is asked again as often as a Ready one.
    boolean askAgain =
        StatusAggregator.available(observed.deployment())
            || (observed.answer() != null && observed.answer().error() != null);
    Optional<Duration> next =
        askAgain ? Optional.of(config.statusRefreshInterval()) : Optional.empty();
    if (rolloutQueued != null
        && (next.isEmpty() || WriterRollouts.QUEUE_RECHECK.compareTo(next.get()) < 0)) {
      // woken when a slot frees; this only covers a missed wake-up
      next = Optional.of(WriterRollouts.QUEUE_RECHECK);
    }
    // Staleness comes with time alone: look again when the backups would turn stale.
    Optional<Duration> untilStale =
        status
            .condition(Constants.CONDITION_BACKUP_SCHEDULED)
            .flatMap(scheduled -> aggregator.backupStaleAt(cr, observed, status, scheduled))
            .map(at -> Duration.between(clock.instant(), at).plusSeconds(1))
            .filter(d -> !d.isNegative());
    if (untilStale.isPresent() && (next.isEmpty() || untilStale.get().compareTo(next.get()) < 0)) {
      next = untilStale;
    }
    // A stranded writer pod's grace runs out with time alone (node status is not watched).
    next = StrandedWriterPods.earliest(next, untilStrandedReleased);
    return next.map(control::rescheduleAfter).orElse(control);
  }

  /**
   * Triggers the reconciliation of the tenants next in line for a rollout slot, when slots are
   * free: after every reconciliation, since a rollout finishing (its Deployment's event) or a
   * tenant going away is what frees one.
   */
  private void wakeRolloutQueue(NamiNamespace cr, Context<NamiNamespace> context) {
    ResourceID self = ResourceID.fromResource(cr);
    for (ResourceID next : rollouts.next(writerDeployments(context))) {
      if (!next.equals(self)) {
        rolloutQueue.scheduleOnce(next, 0);
      }
    }
  }

  /** Every writer Deployment the operator manages (the writer dependent's informer). */
  @SuppressWarnings("unchecked")
  private static List<Deployment> writerDeployments(Context<NamiNamespace> context) {
    var source =
        (InformerEventSource<Deployment, NamiNamespace>)
            context.eventSourceRetriever().getEventSourceFor(Deployment.class);
    return source.list(d -> true).toList();
  }

  /** One INFO line when the writer's /v1/status becomes unreachable or reachable again. */
  private static void logReachabilityChange(NamiNamespace cr, NamiNamespaceStatus status) {
    String type = Constants.CONDITION_WRITER_REACHABLE;
    Optional<Condition> now = status.condition(type);
    Optional<String> before =
        Optional.ofNullable(cr.getStatus())
            .flatMap(s -> s.condition(type))
            .map(Condition::getStatus);
    if (now.isEmpty() || before.equals(now.map(Condition::getStatus))) {
      return;
    }
    if (StatusAggregator.FALSE.equals(now.get().getStatus())) {
      LOG.infof(
          "writer status unreachable. namespace=%s name=%s error=%s",
          cr.getMetadata().getNamespace(), cr.getMetadata().getName(), now.get().getMessage());
    } else if (StatusAggregator.TRUE.equals(now.get().getStatus()) && before.isPresent()) {
      LOG.infof(
          "writer status reachable. namespace=%s name=%s",
          cr.getMetadata().getNamespace(), cr.getMetadata().getName());
    }
  }

  @Override
  public ErrorStatusUpdateControl<NamiNamespace> updateErrorStatus(
      NamiNamespace cr, Context<NamiNamespace> context, Exception e) {
    String error = describe(e);
    tenantMetrics.reconcileFailed(cr);
    LOG.warnf(
        "reconcile failed. namespace=%s name=%s error=%s",
        cr.getMetadata().getNamespace(), cr.getMetadata().getName(), error);
    NamiNamespaceStatus status = aggregator.aggregate(cr, observe(cr, context, false, error), null);
    transitions.record(context, cr, status);
    if (status.equals(cr.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    return ErrorStatusUpdateControl.patchStatus(withStatus(cr, status));
  }

  @Override
  public DeleteControl cleanup(NamiNamespace cr, Context<NamiNamespace> context) {
    DeletionOutcome outcome;
    try {
      outcome = DeletionSequence.advance(cr, context, config);
    } catch (RuntimeException e) {
      // Say why in the status, then let JOSDK retry with backoff.
      String error = describe(e);
      LOG.warnf(
          "deletion step failed. namespace=%s name=%s error=%s",
          cr.getMetadata().getNamespace(), cr.getMetadata().getName(), error);
      patchDeletionStatus(
          cr,
          context,
          new StatusAggregator.Deletion(
              false, "DeletionError", "a deletion step failed and is retried: " + error));
      throw e;
    }
    if (outcome instanceof DeletionOutcome.Done done) {
      rollouts.forget(ResourceID.fromResource(cr));
      wakeRolloutQueue(cr, context);
      tenantMetrics.remove(cr);
      tenantMetrics.deleted(done.fate());
      transitions.deleted(context, cr, done);
      return DeleteControl.defaultDelete();
    }
    patchDeletionStatus(cr, context, ((DeletionOutcome.InProgress) outcome).step());
    // Pod and Job events drive the sequence; the recheck only covers missed ones.
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETION_RECHECK.toMillis());
  }

  private void patchDeletionStatus(
      NamiNamespace cr, Context<NamiNamespace> context, StatusAggregator.Deletion deletion) {
    NamiNamespaceStatus status =
        aggregator.aggregate(cr, observe(cr, context, false, null), deletion);
    transitions.record(context, cr, status);
    if (!status.equals(cr.getStatus())) {
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(
          cr, withStatus(cr, status), context);
    }
  }

  private Observed observe(
      NamiNamespace cr, Context<NamiNamespace> context, boolean askWriter, String error) {
    return observe(cr, context, askWriter, error, Optional.empty());
  }

  private Observed observe(
      NamiNamespace cr,
      Context<NamiNamespace> context,
      boolean askWriter,
      String error,
      Optional<Secret> generatedAuth) {
    Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
    WriterStatusClient.Answer answer = null;
    List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
    // The pod itself, not the Service: no cluster DNS needed, and it answers while not ready
    // (a FENCED writer says so, and who holds the namespace).
    Optional<Pod> writerPod = WriterPods.runningWriterPod(pods, cr);
    boolean tls = WriterAccess.tls(cr);
    Optional<String> endpoint = Optional.empty();
    if (askWriter && StatusAggregator.available(deployment)) {
      endpoint =
          Optional.of(
              writerPod
                  .map(pod -> Names.podEndpoint(pod, tls))
                  .orElseGet(() -> Names.writerEndpoint(cr, tls)));
    } else if (askWriter && writerPod.isPresent()) {
      endpoint = Optional.of(Names.podEndpoint(writerPod.get(), tls));
    }
    if (endpoint.isPresent()) {
      answer = askWriter(cr, context, endpoint.get(), generatedAuth);
    }
    String conflict =
        StorageConflicts.holderOtherThan(cr, context).map(StorageConflicts::describe).orElse(null);
    return new Observed(
        deployment,
        context.getSecondaryResource(CronJob.class),
        pods,
        List.copyOf(context.getSecondaryResources(Job.class)),
        answer,
        error,
        conflict);
  }

  /** The writer's {@code /v1/status}, asked with the tenant's token (and its TLS trust). */
  private WriterStatusClient.Answer askWriter(
      NamiNamespace cr,
      Context<NamiNamespace> context,
      String endpoint,
      Optional<Secret> generatedAuth) {
    WriterStatusClient.Credentials credentials;
    try {
      credentials = WriterAccess.credentials(cr, generatedAuth, context.getClient());
    } catch (IllegalStateException e) {
      return WriterStatusClient.Answer.failed(e.getMessage());
    }
    return writerStatus.fetch(endpoint, credentials);
  }

  /** A copy of {@code cr} carrying only what a status patch needs. */
  private static NamiNamespace withStatus(NamiNamespace cr, NamiNamespaceStatus status) {
    NamiNamespace patch = new NamiNamespace();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(cr.getMetadata().getName())
            .withNamespace(cr.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  /** A short, user-facing description of a reconcile failure. */
  static String describe(Throwable e) {
    if (e instanceof AggregatedOperatorException aggregated
        && !aggregated.getAggregatedExceptions().isEmpty()) {
      return aggregated.getAggregatedExceptions().entrySet().stream()
          .map(entry -> entry.getKey() + ": " + describe(entry.getValue()))
          .collect(Collectors.joining("; "));
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k
          && k.getStatus() != null
          && k.getStatus().getMessage() != null) {
        return k.getStatus().getMessage();
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
