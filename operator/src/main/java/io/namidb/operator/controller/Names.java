package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

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

  /** In-cluster URL of the writer Service. */
  public static String writerEndpoint(HasMetadata cr) {
    return "http://"
        + writer(cr)
        + "."
        + cr.getMetadata().getNamespace()
        + ".svc:"
        + Constants.HTTP_PORT;
  }

  /** URL of one writer pod, by its IP. */
  public static String podEndpoint(Pod pod) {
    return "http://" + pod.getStatus().getPodIP() + ":" + Constants.HTTP_PORT;
  }
}
