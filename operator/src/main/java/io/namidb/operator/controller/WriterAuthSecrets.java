package io.namidb.operator.controller;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.namidb.operator.api.NamiNamespace;
import java.util.Map;
import java.util.Optional;

/**
 * Secret {@code <cr>-writer-auth}: a random read token and a random write token, as the writer's
 * token file (key {@value Constants#TOKENS_KEY}, mounted into the writer pod) and one per key for
 * clients ({@value Constants#READ_TOKEN_KEY}, {@value Constants#WRITE_TOKEN_KEY}).
 *
 * <p>Created once and never updated: what it holds after that is the team's (a rotation edits it;
 * the writer re-reads the mounted file without a restart). Owned by the NamiNamespace, so it goes
 * with it; deleted too when {@code spec.writer.auth.secretName} names a Secret of their own.
 *
 * <p>Not a workflow dependent on purpose: a dependent needs an informer, and an informer on Secrets
 * needs the right to list and watch every Secret of the watched namespaces. The operator only gets,
 * creates and deletes Secrets by name.
 */
final class WriterAuthSecrets {
  private WriterAuthSecrets() {}

  /**
   * Creates the generated Secret when the resource uses it and it is missing, or deletes it when
   * the resource names its own Secret. Returns the generated Secret when in use.
   */
  static Optional<Secret> reconcile(NamiNamespace cr, KubernetesClient client) {
    var secrets = client.secrets().inNamespace(cr.getMetadata().getNamespace());
    Secret existing = secrets.withName(Names.writerAuth(cr)).get();
    if (!WriterAccess.generatedAuth(cr)) {
      if (existing != null && ownedBy(existing, cr)) {
        secrets.withName(Names.writerAuth(cr)).delete();
      }
      return Optional.empty();
    }
    if (existing != null) {
      return Optional.of(existing);
    }
    try {
      return Optional.of(secrets.resource(desired(cr)).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // created meanwhile (another reconcile, or a team that made it first): use it
        return Optional.ofNullable(secrets.withName(Names.writerAuth(cr)).get());
      }
      throw e;
    }
  }

  static Secret desired(NamiNamespace cr) {
    String read = WriterAccess.newToken();
    String write = WriterAccess.newToken();
    return new SecretBuilder()
        .withMetadata(
            WriterPods.metadata(cr, Names.writerAuth(cr), Constants.COMPONENT_WRITER_AUTH))
        .withType("Opaque")
        .withStringData(
            Map.of(
                Constants.TOKENS_KEY, WriterAccess.tokenFile(read, write),
                Constants.READ_TOKEN_KEY, read,
                Constants.WRITE_TOKEN_KEY, write))
        .build();
  }

  private static boolean ownedBy(Secret s, NamiNamespace cr) {
    return s.getMetadata().getOwnerReferences() != null
        && s.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> cr.getMetadata().getUid().equals(o.getUid()));
  }
}
