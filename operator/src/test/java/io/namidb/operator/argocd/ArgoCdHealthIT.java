package io.namidb.operator.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.namidb.operator.testing.Helm;
import io.namidb.operator.testing.RepoFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health checks in docs/argocd/, run in gopher-lua (the Lua Argo CD embeds) on
 * resources as the operator writes their status: Healthy only when the current generation is
 * reconciled and Ready, Progressing during a rollout, Degraded when waiting will not help.
 */
class ArgoCdHealthIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aNamiNamespaceIsHealthyOnlyWhenItsCurrentGenerationIsReady() throws Exception {
    assertThat(health("naminamespace", "{\"metadata\":{\"generation\":1}}"))
        .isEqualTo("Progressing|waiting for the operator to report a status");
    assertThat(health("naminamespace", nns(2, 2, "Ready", "Ready", "the writer is ready", "True")))
        .isEqualTo("Healthy|Ready: the writer is ready");
    assertThat(health("naminamespace", nns(3, 2, "Ready", "Ready", "the writer is ready", "True")))
        .as("a new spec the operator has not reconciled yet")
        .isEqualTo("Progressing|waiting for the operator to reconcile generation 3");
    assertThat(
            health(
                "naminamespace",
                nns(3, 3, "Pending", "Progressing", "rolling out the new pod template", "False")))
        .isEqualTo("Progressing|Pending: rolling out the new pod template");
    assertThat(
            health(
                "naminamespace",
                nns(
                    1,
                    1,
                    "Pending",
                    "CrashLoopBackOff",
                    "the writer container is not running",
                    "False")))
        .isEqualTo("Degraded|Pending: the writer container is not running");
    assertThat(health("naminamespace", nns(1, 1, "Degraded", "Fenced", "lost it", "False")))
        .isEqualTo("Degraded|Degraded: lost it");
    assertThat(
            health(
                "naminamespace",
                nns(1, 1, "Failed", "RestoreTargetNotEmpty", "holds data", "False")))
        .isEqualTo("Degraded|Failed: holds data");
    assertThat(
            health("naminamespace", nns(4, 4, "Suspended", "Suspended", "scaled to zero", "False")))
        .isEqualTo("Suspended|Suspended: scaled to zero");
    assertThat(health("naminamespace", nns(1, 1, "Restoring", "Restoring", "restoring", "False")))
        .isEqualTo("Progressing|Restoring: restoring");
  }

  @Test
  void aNamiNamespaceBackupIsHealthyOnceItSucceeded() throws Exception {
    assertThat(health("naminamespacebackup", "{\"metadata\":{\"generation\":1}}"))
        .isEqualTo("Progressing|waiting for the operator");
    assertThat(health("naminamespacebackup", backup("Running", "running nami backup")))
        .isEqualTo("Progressing|Running: running nami backup");
    assertThat(health("naminamespacebackup", backup("Succeeded", "backed up to s3://b/t/x-v1")))
        .isEqualTo("Healthy|Succeeded: backed up to s3://b/t/x-v1");
    assertThat(health("naminamespacebackup", backup("Failed", "nami backup failed")))
        .isEqualTo("Degraded|Failed: nami backup failed");
  }

  private static String nns(
      long generation,
      long observed,
      String phase,
      String writerReason,
      String message,
      String writerStatus) {
    return """
        {"metadata": {"generation": %d},
         "status": {"phase": "%s", "observedGeneration": %d,
           "conditions": [
             {"type": "Ready", "status": "%s", "reason": "%s", "message": "%s"},
             {"type": "WriterAvailable", "status": "%s", "reason": "%s", "message": "%s"}]}}
        """
        .formatted(
            generation,
            phase,
            observed,
            "Ready".equals(phase) ? "True" : "False",
            writerReason,
            message,
            writerStatus,
            writerReason,
            message);
  }

  private static String backup(String phase, String message) {
    return """
        {"metadata": {"generation": 1}, "status": {"phase": "%s", "message": "%s"}}
        """
        .formatted(phase, message);
  }

  /** Runs docs/argocd/{@code <kind>}-health.lua on {@code resource}; "status|message". */
  private static String health(String kind, String resource) throws Exception {
    String check =
        Files.readString(RepoFiles.root().resolve("docs/argocd/" + kind + "-health.lua"));
    String script =
        "obj = "
            + lua(JSON.readTree(resource))
            + "\nlocal function health()\n"
            + check
            + "\nend\nlocal hs = health()\nprint(hs.status .. \"|\" .. hs.message)\n";
    Path dir = Files.createTempDirectory("argocd-health");
    Files.writeString(dir.resolve("check.lua"), script);
    Helm.Result run = Helm.tool(dir, "glua", "check.lua");
    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    return run.stdout().strip();
  }

  /** A Lua table constructor for {@code node}, as Argo CD hands the resource to the script. */
  private static String lua(JsonNode node) {
    if (node.isObject()) {
      StringBuilder out = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        out.append("[").append(string(field.getKey())).append("]=").append(lua(field.getValue()));
        out.append(it.hasNext() ? "," : "");
      }
      return out.append("}").toString();
    }
    if (node.isArray()) {
      StringBuilder out = new StringBuilder("{");
      for (int i = 0; i < node.size(); i++) {
        out.append(i > 0 ? "," : "").append(lua(node.get(i)));
      }
      return out.append("}").toString();
    }
    if (node.isTextual()) {
      return string(node.asText());
    }
    return node.isNull() ? "nil" : node.toString();
  }

  private static String string(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
