package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.RestoreSpec;
import io.namidb.operator.api.WriterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployment {@code <cr>-writer}: exactly one writer pod (zero when suspended), strategy Recreate
 * so two writers never overlap on purpose (epoch fencing handles the accidental cases), ready only
 * while it holds the namespace's epoch. With {@code spec.restore} not yet done, the pod first runs
 * {@code nami restore} as an init container. The writer listens on every address of the pod and
 * requires a bearer token from the auth Secret ({@link WriterAccess}); with {@code spec.writer.tls}
 * it serves HTTPS only. A change of the pod template that comes from the operator rather than the
 * resource waits for a rollout slot ({@link WriterRollouts}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Constants.MANAGED_SELECTOR))
public class WriterDeploymentDependentResource
    extends CRUDKubernetesDependentResource<Deployment, NamiNamespace> {

  public WriterDeploymentDependentResource() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(NamiNamespace cr, Context<NamiNamespace> context) {
    OperatorConfig config = OperatorContext.config(context);
    WriterSpec writer = WriterPods.writerSpec(cr);
    Map<String, String> podLabels = new LinkedHashMap<>();
    if (writer.getPodLabels() != null) {
      podLabels.putAll(writer.getPodLabels());
    }
    podLabels.putAll(WriterPods.labels(cr, Constants.COMPONENT_WRITER));
    Deployment deployment =
        new DeploymentBuilder()
            .withMetadata(WriterPods.metadata(cr, Names.writer(cr), Constants.COMPONENT_WRITER))
            .withNewSpec()
            .withReplicas(Boolean.TRUE.equals(writer.getSuspend()) ? 0 : 1)
            .withNewStrategy()
            .withType("Recreate")
            .endStrategy()
            .withRevisionHistoryLimit(3)
            .withNewSelector()
            .withMatchLabels(WriterPods.writerSelector(cr))
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(podLabels)
            .withAnnotations(writer.getPodAnnotations())
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(writer.getServiceAccountName())
            // the writer talks to the object store, never to Kubernetes
            .withAutomountServiceAccountToken(false)
            .withPriorityClassName(writer.getPriorityClassName())
            .withImagePullSecrets(writer.getImagePullSecrets())
            .withTopologySpreadConstraints(writer.getTopologySpreadConstraints())
            .withNodeSelector(writer.getNodeSelector())
            .withTolerations(WriterPods.tolerations(cr, config))
            .withAffinity(writer.getAffinity())
            .withSecurityContext(WriterPods.podSecurity())
            .withTerminationGracePeriodSeconds(config.writer().terminationGracePeriodSeconds())
            .withEnableServiceLinks(false)
            .withContainers(writerContainer(cr, config))
            .withVolumes(volumes(cr))
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    if (restorePending(cr)) {
      deployment
          .getSpec()
          .getTemplate()
          .getSpec()
          .setInitContainers(List.of(restoreContainer(cr, config)));
    }
    String template = WriterRollouts.hash(deployment.getSpec().getTemplate());
    String inputs = WriterRollouts.hash(inputs(cr));
    WriterRollouts.Decision decision =
        OperatorContext.rollouts(context)
            .decide(
                ResourceID.fromResource(cr),
                context.getSecondaryResource(Deployment.class),
                deployment,
                template,
                inputs,
                fleet());
    OperatorContext.rolloutNote(context).set(decision);
    Map<String, String> labels = new LinkedHashMap<>(deployment.getMetadata().getLabels());
    labels.put(WriterRollouts.TEMPLATE_LABEL, template);
    labels.put(WriterRollouts.INPUTS_LABEL, inputs);
    if (decision.holdsSlot()) {
      labels.put(WriterRollouts.ROLLOUT_LABEL, WriterRollouts.ROLLOUT_OPERATOR);
    }
    deployment.getMetadata().setLabels(labels);
    return deployment;
  }

  /**
   * A queued operator change ({@link WriterRollouts}) leaves the Deployment as it is: it counts as
   * matching, so nothing is applied until a slot frees.
   */
  @Override
  public Matcher.Result<Deployment> match(
      Deployment actual, NamiNamespace cr, Context<NamiNamespace> context) {
    Deployment desired = desired(cr, context);
    if (!OperatorContext.rolloutNote(context).decision().apply()) {
      return Matcher.Result.computed(true, desired);
    }
    return match(actual, desired, cr, context);
  }

  /** What of a resource shapes its writer's pod template: a change of these is the tenant's. */
  private static Map<String, Object> inputs(NamiNamespace cr) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("storage", cr.getSpec().getStorage());
    inputs.put("writer", cr.getSpec().getWriter());
    inputs.put("restore", cr.getSpec().getRestore());
    inputs.put("restorePending", restorePending(cr));
    return inputs;
  }

  /** Every writer Deployment the operator manages, as its informer has them. */
  private List<Deployment> fleet() {
    return eventSource().map(source -> source.list(d -> true).toList()).orElse(List.of());
  }

  /** Whether the writer pod must first restore {@code spec.restore.from}. */
  static boolean restorePending(NamiNamespace cr) {
    RestoreSpec restore = cr.getSpec().getRestore();
    if (restore == null) {
      return false;
    }
    var done = cr.getStatus() == null ? null : cr.getStatus().getRestore();
    return done == null || !restore.getFrom().equals(done.getFrom());
  }

  /**
   * {@code /tmp}, the token file (only the Secret's key {@value Constants#TOKENS_KEY}) and, with
   * TLS, the certificate. Secret volumes follow the Secret: a rotated token or a renewed
   * certificate reaches the running writer, which re-reads both, without a restart.
   */
  private static List<Volume> volumes(NamiNamespace cr) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(WriterPods.tmpVolume());
    volumes.add(
        new VolumeBuilder()
            .withName(Constants.AUTH_VOLUME)
            .withNewSecret()
            .withSecretName(WriterAccess.authSecret(cr))
            .withItems(
                new KeyToPathBuilder()
                    .withKey(Constants.TOKENS_KEY)
                    .withPath(Constants.TOKENS_KEY)
                    .build())
            .withDefaultMode(SECRET_FILE_MODE)
            .endSecret()
            .build());
    WriterAccess.tlsSecret(cr)
        .ifPresent(
            secret ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(Constants.TLS_VOLUME)
                        .withNewSecret()
                        .withSecretName(secret)
                        .withItems(
                            new KeyToPathBuilder()
                                .withKey(Constants.TLS_CERT_KEY)
                                .withPath(Constants.TLS_CERT_KEY)
                                .build(),
                            new KeyToPathBuilder()
                                .withKey(Constants.TLS_KEY_KEY)
                                .withPath(Constants.TLS_KEY_KEY)
                                .build())
                        .withDefaultMode(SECRET_FILE_MODE)
                        .endSecret()
                        .build()));
    return volumes;
  }

  /** Secret files: readable by the writer's group (the pod's fsGroup) only. */
  private static final int SECRET_FILE_MODE = 0440;

  private static Container writerContainer(NamiNamespace cr, OperatorConfig config) {
    List<EnvVar> env = new ArrayList<>(WriterPods.storageEnv(cr));
    env.add(WriterPods.env(Constants.ENV_HTTP_PORT, Integer.toString(Constants.HTTP_PORT)));
    // Every address of the pod, so the Service reaches it; never without a token.
    env.add(WriterPods.env(Constants.ENV_HTTP_HOST, "0.0.0.0"));
    env.add(
        WriterPods.env(
            Constants.ENV_AUTH_TOKENS, Constants.AUTH_MOUNT + "/" + Constants.TOKENS_KEY));
    boolean tls = WriterAccess.tls(cr);
    if (tls) {
      env.add(
          WriterPods.env(
              Constants.ENV_TLS_CERT, Constants.TLS_MOUNT + "/" + Constants.TLS_CERT_KEY));
      env.add(
          WriterPods.env(Constants.ENV_TLS_KEY, Constants.TLS_MOUNT + "/" + Constants.TLS_KEY_KEY));
    }
    List<EnvVar> own = WriterPods.writerSpec(cr).getEnv();
    if (own != null) {
      env.addAll(own);
    }
    Container container =
        WriterPods.container(
            cr,
            config,
            Constants.WRITER_CONTAINER,
            List.of(config.writer().command(), "serve"),
            env);
    container.setPorts(
        List.of(
            new ContainerPortBuilder()
                .withName(Constants.HTTP_PORT_NAME)
                .withContainerPort(Constants.HTTP_PORT)
                .withProtocol("TCP")
                .build()));
    List<VolumeMount> mounts = new ArrayList<>(container.getVolumeMounts());
    mounts.add(
        new VolumeMountBuilder()
            .withName(Constants.AUTH_VOLUME)
            .withMountPath(Constants.AUTH_MOUNT)
            .withReadOnly(true)
            .build());
    if (tls) {
      mounts.add(
          new VolumeMountBuilder()
              .withName(Constants.TLS_VOLUME)
              .withMountPath(Constants.TLS_MOUNT)
              .withReadOnly(true)
              .build());
    }
    container.setVolumeMounts(mounts);
    // Probes stay open (no token needed); with TLS the kubelet speaks HTTPS without checking
    // the certificate.
    String scheme = tls ? "HTTPS" : "HTTP";
    container.setReadinessProbe(httpProbe(Constants.READY_PATH, scheme, 5, 3));
    container.setLivenessProbe(httpProbe(Constants.LIVE_PATH, scheme, 10, 3));
    // WAL replay may take a while after a failover: /q/health/started is UP once the writer
    // claimed the namespace and replayed its WAL; liveness and readiness start only then. The
    // failure threshold bounds the replay time (namidb.operator.writer.startup-timeout).
    int startupPeriod = 5;
    int startupThreshold =
        (int) Math.max(1, config.writer().startupTimeout().toSeconds() / startupPeriod);
    container.setStartupProbe(
        httpProbe(Constants.STARTED_PATH, scheme, startupPeriod, startupThreshold));
    container.setLifecycle(
        new LifecycleBuilder()
            .withNewPreStop()
            .withNewSleep()
            .withSeconds(config.writer().preStopSleepSeconds())
            .endSleep()
            .endPreStop()
            .build());
    return container;
  }

  private static Container restoreContainer(NamiNamespace cr, OperatorConfig config) {
    RestoreSpec restore = cr.getSpec().getRestore();
    List<EnvVar> env = new ArrayList<>(WriterPods.storageEnv(cr));
    env.add(WriterPods.env(Constants.ENV_RESTORE_FROM, StorageUris.restoreSource(restore)));
    env.addAll(WriterPods.credentials(restore.getCredentialsSecret(), Constants.ENV_FROM_PREFIX));
    return WriterPods.container(
        cr,
        config,
        Constants.RESTORE_CONTAINER,
        List.of(
            config.writer().command(),
            "restore",
            "--from",
            "$(" + Constants.ENV_RESTORE_FROM + ")",
            "--uri",
            "$(" + Constants.ENV_URI + ")"),
        env);
  }

  private static Probe httpProbe(
      String path, String scheme, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(Constants.HTTP_PORT_NAME))
        .withScheme(scheme)
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withSuccessThreshold(1)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
