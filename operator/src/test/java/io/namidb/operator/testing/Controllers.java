package io.namidb.operator.testing;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the controllers kube-api-test does not run (Deployment, Job, CronJob, kubelet) by writing
 * the objects and statuses they would write, as the Keycloak operator's tests do.
 */
public final class Controllers {
  private Controllers() {}

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Adds Service IPs to the cluster (kube-api-test starts the API server with a /24, ~250 IPs): a
   * ServiceCIDR, made ready as the service-cidrs controller would.
   */
  public static void addServiceCidr(KubernetesClient client, String name, String cidr) {
    if (client.network().v1().serviceCIDRs().withName(name).get() != null) {
      return;
    }
    client
        .network()
        .v1()
        .serviceCIDRs()
        .resource(
            new ServiceCIDRBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withCidrs(cidr)
                .endSpec()
                .build())
        .create();
    client
        .network()
        .v1()
        .serviceCIDRs()
        .withName(name)
        .editStatus(
            c -> {
              c.setStatus(
                  new ServiceCIDRStatusBuilder()
                      .addToConditions(
                          new ConditionBuilder()
                              .withType("Ready")
                              .withStatus("True")
                              .withReason("Ready")
                              .withMessage("added by the test")
                              .withLastTransitionTime(now())
                              .build())
                      .build());
              return c;
            });
  }

  /** The Deployment controller caught up: all {@code spec.replicas} pods available. */
  public static Deployment rollOut(KubernetesClient client, String deployment) {
    return client
        .apps()
        .deployments()
        .withName(deployment)
        .editStatus(
            d -> {
              int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
              var status =
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withAvailableReplicas(replicas);
              if (replicas > 0) {
                status
                    .addNewCondition()
                    .withType("Available")
                    .withStatus("True")
                    .withReason("MinimumReplicasAvailable")
                    .withLastTransitionTime(now())
                    .withLastUpdateTime(now())
                    .endCondition();
              }
              d.setStatus(status.build());
              return d;
            });
  }

  /** The Deployment controller observed the spec but no pod is available (yet). */
  public static Deployment unavailable(KubernetesClient client, String deployment) {
    return client
        .apps()
        .deployments()
        .withName(deployment)
        .editStatus(
            d -> {
              int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withUnavailableReplicas(replicas)
                      .build());
              return d;
            });
  }

  /** A pod as the ReplicaSet of {@code deployment} would create it (template labels). */
  public static Pod writerPod(KubernetesClient client, Deployment deployment, String name) {
    return writerPodOn(client, deployment, name, null);
  }

  /** {@link #writerPod}, bound to {@code node} as the scheduler would (null: not scheduled). */
  public static Pod writerPodOn(
      KubernetesClient client, Deployment deployment, String name, String node) {
    var template = deployment.getSpec().getTemplate();
    return client
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(template.getMetadata().getLabels())
                .endMetadata()
                .withSpec(template.getSpec())
                .editSpec()
                .withNodeName(node)
                .endSpec()
                .build())
        .create();
  }

  /**
   * A Node whose {@code Ready} condition is {@code ready} ({@code True}, {@code False}, {@code
   * Unknown}) since {@code since}, as the kubelet and the node lifecycle controller would report
   * it.
   */
  public static Node node(KubernetesClient client, String name, String ready, Instant since) {
    client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    String at = since.truncatedTo(ChronoUnit.SECONDS).toString();
    return client
        .nodes()
        .withName(name)
        .editStatus(
            n -> {
              n.setStatus(
                  new NodeStatusBuilder()
                      .addNewCondition()
                      .withType("Ready")
                      .withStatus(ready)
                      .withReason("True".equals(ready) ? "KubeletReady" : "NodeStatusUnknown")
                      .withMessage("set by the test")
                      .withLastHeartbeatTime(at)
                      .withLastTransitionTime(at)
                      .endCondition()
                      .build());
              return n;
            });
  }

  /** The kubelet reports container statuses of {@code pod}. */
  public static Pod podStatus(
      KubernetesClient client,
      String pod,
      List<ContainerStatus> initContainers,
      List<ContainerStatus> containers) {
    return client
        .pods()
        .withName(pod)
        .editStatus(
            p -> {
              p.setStatus(
                  new PodStatusBuilder()
                      .withPhase("Pending")
                      .withInitContainerStatuses(initContainers)
                      .withContainerStatuses(containers)
                      .build());
              return p;
            });
  }

  public static ContainerStatus terminated(String container, int exitCode, String message) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withImage("img")
        .withImageID("")
        .withReady(false)
        .withRestartCount(0)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(exitCode == 0 ? "Completed" : "Error")
        .withMessage(message)
        .withStartedAt(now())
        .withFinishedAt(now())
        .endTerminated()
        .endState()
        .build();
  }

  public static ContainerStatus running(String container) {
    return new ContainerStatusBuilder()
        .withName(container)
        .withImage("img")
        .withImageID("")
        .withReady(false)
        .withRestartCount(0)
        .withNewState()
        .withNewRunning()
        .withStartedAt(now())
        .endRunning()
        .endState()
        .build();
  }

  /** The CronJob controller starts a Job from {@code cronJob}'s template. */
  public static Job jobFromCronJob(KubernetesClient client, CronJob cronJob, String name) {
    var template = cronJob.getSpec().getJobTemplate();
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
    return create(
        client,
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .withOwnerReferences(controlledBy(cronJob))
            .endMetadata()
            .withSpec(template.getSpec())
            .build());
  }

  /**
   * Creates a minimal Job of one container, as any client could: to learn what the API server
   * answers to a create (e.g. in a terminating namespace, where it refuses every new object).
   */
  public static Job createProbeJob(KubernetesClient client, String name) {
    return create(
        client,
        new JobBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("x")
            .endContainer()
            .withRestartPolicy("Never")
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
  }

  /** The owner reference a batch/v1 controller sets on what it creates. */
  private static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion("batch/v1")
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .build();
  }

  private static Job create(KubernetesClient client, Job job) {
    return client.batch().v1().jobs().resource(job).create();
  }

  /** The Job controller's pod of {@code job} (labels as the Job controller sets them). */
  public static Pod jobPod(KubernetesClient client, Job job, String name) {
    var template = job.getSpec().getTemplate();
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
    labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
    labels.put("job-name", job.getMetadata().getName());
    return client
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .withOwnerReferences(controlledBy(job))
                .endMetadata()
                .withSpec(template.getSpec())
                .build())
        .create();
  }

  /** The Job controller marks {@code job} complete. */
  public static Job succeed(KubernetesClient client, String job) {
    return finish(client, job, true);
  }

  /** The Job controller marks {@code job} failed (backoff limit reached). */
  public static Job fail(KubernetesClient client, String job) {
    return finish(client, job, false);
  }

  private static Job finish(KubernetesClient client, String job, boolean succeeded) {
    String now = now();
    return client
        .batch()
        .v1()
        .jobs()
        .withName(job)
        .editStatus(
            j -> {
              var status = new JobStatusBuilder().withStartTime(now);
              if (succeeded) {
                status
                    .withSucceeded(1)
                    .withCompletionTime(now)
                    .addNewCondition()
                    .withType("SuccessCriteriaMet")
                    .withStatus("True")
                    .withLastTransitionTime(now)
                    .withLastProbeTime(now)
                    .endCondition()
                    .addNewCondition()
                    .withType("Complete")
                    .withStatus("True")
                    .withLastTransitionTime(now)
                    .withLastProbeTime(now)
                    .endCondition();
              } else {
                status
                    .withFailed(1)
                    .addNewCondition()
                    .withType("FailureTarget")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withLastTransitionTime(now)
                    .withLastProbeTime(now)
                    .endCondition()
                    .addNewCondition()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withLastTransitionTime(now)
                    .withLastProbeTime(now)
                    .endCondition();
              }
              j.setStatus(status.build());
              return j;
            });
  }
}
