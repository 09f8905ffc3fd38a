package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Names of the objects the operator creates: the NamiNamespace's name plus a fixed suffix. */
public final class Names {
  private Names() {}

  /** Deployment and Service {@code <cr>-writer}. */
  public static String writer(HasMetadata cr) {
    return cr.getMetadata().getName() + "-writer";
  }

  /** CronJob {@code <cr>-backup}. */
  public static String backup(HasMetadata cr) {
    return cr.getMetadata().getName() + "-backup";
  }

  /** Job {@code <cr>-final-backup} of deletionPolicy BackupThenDelete. */
  public static String finalBackup(HasMetadata cr) {
    return cr.getMetadata().getName() + "-final-backup";
  }

  /**
   * Job {@code <backup>-ondemand} of a NamiNamespaceBackup: no Job of a NamiNamespace ends so, so
   * the two never collide.
   */
  public static String ondemandBackup(HasMetadata backup) {
    return backup.getMetadata().getName() + "-ondemand";
  }

  /** Job {@code <cr>-purge}. */
  public static String purge(HasMetadata cr) {
    return cr.getMetadata().getName() + "-purge";
  }

  /** Secret {@code <cr>-writer-auth}: the bearer tokens the operator generates. */
  public static String writerAuth(HasMetadata cr) {
    return cr.getMetadata().getName() + "-writer-auth";
  }

  /** Certificate and Secret {@code <cr>-writer-tls} issued by cert-manager. */
  public static String writerTls(HasMetadata cr) {
    return cr.getMetadata().getName() + "-writer-tls";
  }

  /** NetworkPolicy {@code <cr>-writer}: who may reach the writer's port. */
  public static String writerNetworkPolicy(HasMetadata cr) {
    return writer(cr);
  }

  /** The writer Service's DNS names, shortest first (for its certificate). */
  public static List<String> writerDnsNames(HasMetadata cr) {
    String svc = writer(cr);
    String ns = cr.getMetadata().getNamespace();
    return List.of(
        svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local");
  }

  /** In-cluster URL of the writer Service ({@code https} when {@code tls}). */
  public static String writerEndpoint(HasMetadata cr, boolean tls) {
    return scheme(tls)
        + "://"
        + writer(cr)
        + "."
        + cr.getMetadata().getNamespace()
        + ".svc:"
        + Constants.HTTP_PORT;
  }

  /** URL of one writer pod, by its IP ({@code https} when {@code tls}). */
  public static String podEndpoint(Pod pod, boolean tls) {
    return scheme(tls) + "://" + pod.getStatus().getPodIP() + ":" + Constants.HTTP_PORT;
  }

  private static String scheme(boolean tls) {
    return tls ? "https" : "http";
  }
}
