package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.namidb.operator.api.JobsSpec;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.api.WriterSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What every pod running the writer image shares: labels, image, resources, the storage environment
 * and credentials, security settings, scheduling constraints. The writer Deployment, the backup
 * CronJob and the deletion Jobs build on it.
 */
final class WriterPods {
  static final String TMP_VOLUME = "tmp";

  private WriterPods() {}

  /** Labels of an object (and its pods) of {@code component} (DESIGN §9 plus the component). */
  static Map<String, String> labels(NamiNamespace cr, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Constants.NAME_LABEL, Constants.NAME_VALUE);
    labels.put(Constants.INSTANCE_LABEL, cr.getMetadata().getName());
    labels.put(Constants.MANAGED_BY_LABEL, Constants.MANAGED_BY_VALUE);
    labels.put(Constants.COMPONENT_LABEL, component);
    return labels;
  }

  /** Selector of the writer pods of {@code cr} (used by the Deployment and the Service). */
  static Map<String, String> writerSelector(NamiNamespace cr) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(Constants.NAME_LABEL, Constants.NAME_VALUE);
    selector.put(Constants.INSTANCE_LABEL, cr.getMetadata().getName());
    selector.put(Constants.COMPONENT_LABEL, Constants.COMPONENT_WRITER);
    return selector;
  }

  /**
   * The writer pod to ask for {@code /v1/status}: running, with an IP, not being deleted; the
   * newest if a rollout briefly shows two.
   */
  static Optional<Pod> runningWriterPod(List<Pod> pods, NamiNamespace cr) {
    return StatusAggregator.pods(pods, cr, Constants.COMPONENT_WRITER).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .filter(p -> p.getStatus().getPodIP() != null && !p.getStatus().getPodIP().isEmpty())
        .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
  }

  /**
   * The writer's tolerations: the resource's own, plus {@code not-ready} and {@code unreachable}
   * NoExecute tolerations of {@code nodeFailureToleration} for the keys it does not tolerate
   * itself. Kubernetes' default is 300 s; fencing makes an early replacement safe (a writer left on
   * a lost node can commit nothing once the new one claimed the epoch), so the operator asks for
   * less (docs/kubernetes.md).
   */
  static List<Toleration> tolerations(NamiNamespace cr, OperatorConfig config) {
    List<Toleration> own = writerSpec(cr).getTolerations();
    List<Toleration> result = new ArrayList<>(own == null ? List.of() : own);
    long seconds = config.writer().nodeFailureToleration().toSeconds();
    for (String key : NODE_FAILURE_TAINTS) {
      boolean covered = result.stream().anyMatch(t -> key.equals(t.getKey()));
      if (!covered) {
        result.add(
            new TolerationBuilder()
                .withKey(key)
                .withOperator("Exists")
                .withEffect("NoExecute")
                .withTolerationSeconds(seconds)
                .build());
      }
    }
    return result;
  }

  /** Taints the node lifecycle controller puts on a node that stopped reporting. */
  static final List<String> NODE_FAILURE_TAINTS =
      List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");

  /** Name, namespace, labels and the controller owner reference to {@code cr}. */
  static ObjectMeta metadata(NamiNamespace cr, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(cr.getMetadata().getNamespace())
        .withLabels(labels(cr, component))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(NamiNamespace.API_VERSION)
                .withKind(NamiNamespace.KIND)
                .withName(cr.getMetadata().getName())
                .withUid(cr.getMetadata().getUid())
                .withController(true)
                .build())
        .build();
  }

  static WriterSpec writerSpec(NamiNamespace cr) {
    WriterSpec writer = cr.getSpec().getWriter();
    return writer == null ? new WriterSpec() : writer;
  }

  static String image(NamiNamespace cr, OperatorConfig config) {
    String image = writerSpec(cr).getImage();
    return image == null || image.isBlank() ? config.writer().image() : image;
  }

  static ResourceRequirements resources(NamiNamespace cr, OperatorConfig config) {
    ResourceRequirements own = writerSpec(cr).getResources();
    if (own != null
        && ((own.getRequests() != null && !own.getRequests().isEmpty())
            || (own.getLimits() != null && !own.getLimits().isEmpty()))) {
      return own;
    }
    ResourceRequirementsBuilder builder = new ResourceRequirementsBuilder();
    Map<String, Quantity> requests = quantities(config.writer().resources().requests());
    Map<String, Quantity> limits = quantities(config.writer().resources().limits());
    if (!requests.isEmpty()) {
      builder.withRequests(requests);
    }
    if (!limits.isEmpty()) {
      builder.withLimits(limits);
    }
    return builder.build();
  }

  private static Map<String, Quantity> quantities(Map<String, String> values) {
    Map<String, Quantity> out = new TreeMap<>();
    values.forEach((k, v) -> out.put(k, new Quantity(v)));
    return out;
  }

  /** {@code NAMI_URI} and the namespace's credentials. */
  static List<EnvVar> storageEnv(NamiNamespace cr) {
    List<EnvVar> env = new ArrayList<>();
    env.add(env(Constants.ENV_URI, StorageUris.namespace(cr.getSpec().getStorage())));
    env.addAll(credentials(cr.getSpec().getStorage().getCredentialsSecret(), ""));
    return env;
  }

  /**
   * {@code <prefix>AWS_ACCESS_KEY_ID} and {@code <prefix>AWS_SECRET_ACCESS_KEY} from {@code
   * secret}; nothing when there is no Secret (the AWS default chain applies).
   */
  static List<EnvVar> credentials(String secret, String prefix) {
    if (secret == null || secret.isBlank()) {
      return List.of();
    }
    return List.of(
        secretEnv(prefix + Constants.ENV_ACCESS_KEY, secret, Constants.SECRET_ACCESS_KEY),
        secretEnv(prefix + Constants.ENV_SECRET_KEY, secret, Constants.SECRET_SECRET_KEY));
  }

  static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  static SecurityContext containerSecurity() {
    Capabilities dropAll = new CapabilitiesBuilder().withDrop("ALL").build();
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withCapabilities(dropAll)
        .build();
  }

  /** The image's user and group (the writer and operator Dockerfiles). */
  static final long IMAGE_GROUP = 10001;

  static PodSecurityContext podSecurity() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        // Secret volumes (the writer's tokens and certificate) are group-readable by it only.
        .withFsGroup(IMAGE_GROUP)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** The writable {@code /tmp} of a container with a read-only root filesystem. */
  static Volume tmpVolume() {
    return new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build();
  }

  static VolumeMount tmpMount() {
    return new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build();
  }

  /**
   * A container of the writer image: image, pull policy, resources, security, /tmp, and logs as the
   * termination message on error (so a failed command's last words reach the status).
   */
  static Container container(
      NamiNamespace cr,
      OperatorConfig config,
      String name,
      List<String> command,
      List<EnvVar> env) {
    Container container = new Container();
    container.setName(name);
    container.setImage(image(cr, config));
    container.setImagePullPolicy(config.writer().imagePullPolicy());
    container.setCommand(command);
    container.setEnv(env);
    container.setResources(resources(cr, config));
    container.setSecurityContext(containerSecurity());
    container.setVolumeMounts(List.of(tmpMount()));
    container.setTerminationMessagePolicy("FallbackToLogsOnError");
    return container;
  }

  /** The pod of a Job running the writer image: never restarted in place, same identity. */
  /**
   * The pod template of a Job of {@code cr} (backup, final backup, purge): the operator's labels
   * (and {@code extraLabels}) over {@code spec.jobs.podLabels}, {@code spec.jobs.podAnnotations},
   * and {@link #jobPod}.
   */
  static PodTemplateSpec jobPodTemplate(
      NamiNamespace cr, String component, Container container, Map<String, String> extraLabels) {
    JobsSpec jobs = jobsSpec(cr);
    Map<String, String> labels = new LinkedHashMap<>();
    if (jobs.getPodLabels() != null) {
      labels.putAll(jobs.getPodLabels());
    }
    labels.putAll(labels(cr, component));
    labels.putAll(extraLabels);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(jobs.getPodAnnotations())
        .endMetadata()
        .withSpec(jobPod(cr, container))
        .build();
  }

  /**
   * A Job's pod: never restarted in place, no ServiceAccount token (it talks to the object store,
   * not to Kubernetes), scheduled by {@code spec.jobs} or else {@code spec.writer}.
   */
  static PodSpec jobPod(NamiNamespace cr, Container container) {
    WriterSpec writer = writerSpec(cr);
    JobsSpec jobs = jobsSpec(cr);
    return new PodSpecBuilder()
        .withRestartPolicy("Never")
        .withServiceAccountName(writer.getServiceAccountName())
        .withAutomountServiceAccountToken(false)
        .withNodeSelector(
            jobs.getNodeSelector() != null ? jobs.getNodeSelector() : writer.getNodeSelector())
        .withTolerations(
            jobs.getTolerations() != null ? jobs.getTolerations() : writer.getTolerations())
        .withAffinity(jobs.getAffinity())
        .withPriorityClassName(
            jobs.getPriorityClassName() != null
                ? jobs.getPriorityClassName()
                : writer.getPriorityClassName())
        .withImagePullSecrets(writer.getImagePullSecrets())
        .withSecurityContext(podSecurity())
        .withContainers(container)
        .withVolumes(tmpVolume())
        .build();
  }

  static JobsSpec jobsSpec(NamiNamespace cr) {
    return cr.getSpec().getJobs() == null ? new JobsSpec() : cr.getSpec().getJobs();
  }
}
