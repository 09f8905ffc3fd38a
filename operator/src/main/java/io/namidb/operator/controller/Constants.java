package io.namidb.operator.controller;

/** Label, annotation and finalizer keys and fixed values the operator relies on (DESIGN §9). */
public final class Constants {
  public static final String FINALIZER = "namidb.io/finalizer";

  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  public static final String NAME_VALUE = "namidb-writer";
  public static final String MANAGED_BY_VALUE = "namidb-operator";

  /** Label selector of every object the operator creates (and of the pods of those objects). */
  public static final String MANAGED_SELECTOR =
      MANAGED_BY_LABEL + "=" + MANAGED_BY_VALUE + "," + NAME_LABEL + "=" + NAME_VALUE;

  /** {@value #COMPONENT_LABEL} values. */
  public static final String COMPONENT_WRITER = "writer";

  public static final String COMPONENT_BACKUP = "backup";
  public static final String COMPONENT_FINAL_BACKUP = "final-backup";

  /** The Job of a NamiNamespaceBackup. */
  public static final String COMPONENT_ONDEMAND_BACKUP = "ondemand-backup";

  /** Label on the Job of a NamiNamespaceBackup: that resource's name. */
  public static final String BACKUP_LABEL = "namidb.io/backup";

  public static final String COMPONENT_PURGE = "purge";

  /** The writer's HTTP port and its name (DESIGN §8). */
  public static final int HTTP_PORT = 8080;

  public static final String HTTP_PORT_NAME = "http";

  /** Container names. */
  public static final String WRITER_CONTAINER = "writer";

  public static final String RESTORE_CONTAINER = "restore";

  /**
   * Exit code of a {@code nami} command refused because of what the store holds (the writer's
   * {@code Cli.EXIT_CONFLICT}): a restore into a namespace holding other data.
   */
  public static final int EXIT_CONFLICT = 3;

  public static final String BACKUP_CONTAINER = "backup";
  public static final String PURGE_CONTAINER = "purge";

  /** Environment of the writer image (DESIGN §8 for NAMI_URI, NAMI_HTTP_PORT). */
  public static final String ENV_URI = "NAMI_URI";

  public static final String ENV_HTTP_PORT = "NAMI_HTTP_PORT";
  public static final String ENV_BACKUP_TO = "NAMI_BACKUP_TO";
  public static final String ENV_BACKUP_KEEP_LAST = "NAMI_BACKUP_KEEP_LAST";
  public static final String ENV_RESTORE_FROM = "NAMI_RESTORE_FROM";
  public static final String ENV_ACCESS_KEY = "AWS_ACCESS_KEY_ID";
  public static final String ENV_SECRET_KEY = "AWS_SECRET_ACCESS_KEY";

  /**
   * Prefix of the credentials of the second store of {@code backup --to} / {@code restore --from}
   * when it has its own Secret: {@code NAMI_TO_AWS_ACCESS_KEY_ID}, {@code NAMI_FROM_...}.
   */
  public static final String ENV_TO_PREFIX = "NAMI_TO_";

  public static final String ENV_FROM_PREFIX = "NAMI_FROM_";

  /** Environment of the writer's API security (writer's {@code nami serve} options). */
  public static final String ENV_HTTP_HOST = "NAMI_HTTP_HOST";

  public static final String ENV_AUTH_TOKENS = "NAMI_AUTH_TOKENS";
  public static final String ENV_TLS_CERT = "NAMI_TLS_CERT";
  public static final String ENV_TLS_KEY = "NAMI_TLS_KEY";

  /** Where the writer pod mounts its token file and its certificate. */
  public static final String AUTH_VOLUME = "auth";

  public static final String AUTH_MOUNT = "/etc/namidb/auth";
  public static final String TLS_VOLUME = "tls";
  public static final String TLS_MOUNT = "/etc/namidb/tls";

  /** Keys of the auth Secret: the token file, and the generated tokens for clients. */
  public static final String TOKENS_KEY = "tokens";

  public static final String READ_TOKEN_KEY = "read-token";
  public static final String WRITE_TOKEN_KEY = "write-token";

  /** Keys of a TLS Secret (cert-manager's format). */
  public static final String TLS_CERT_KEY = "tls.crt";

  public static final String TLS_KEY_KEY = "tls.key";
  public static final String CA_CERT_KEY = "ca.crt";

  /** {@value #COMPONENT_LABEL} of the generated auth Secret. */
  public static final String COMPONENT_WRITER_AUTH = "writer-auth";

  /** Keys of a credentials Secret. */
  public static final String SECRET_ACCESS_KEY = ENV_ACCESS_KEY;

  public static final String SECRET_SECRET_KEY = ENV_SECRET_KEY;

  /** Where the writer's health and status live (DESIGN §8). */
  public static final String READY_PATH = "/q/health/ready";

  public static final String LIVE_PATH = "/q/health/live";
  public static final String STARTED_PATH = "/q/health/started";
  public static final String STATUS_PATH = "/v1/status";

  /** Condition types of {@code status.conditions} (DESIGN §9). */
  public static final String CONDITION_READY = "Ready";

  public static final String CONDITION_WRITER_AVAILABLE = "WriterAvailable";
  public static final String CONDITION_BACKUP_SCHEDULED = "BackupScheduled";
  public static final String CONDITION_LAST_BACKUP_SUCCEEDED = "LastBackupSucceeded";

  /** Whether the last successful backup is older than twice the schedule's interval. */
  public static final String CONDITION_BACKUP_STALE = "BackupStale";

  /** Whether the writer answered the operator's last {@code GET /v1/status}. */
  public static final String CONDITION_WRITER_REACHABLE = "WriterReachable";

  /** Event source component. */
  public static final String EVENT_COMPONENT = "namidb-operator";

  private Constants() {}
}
