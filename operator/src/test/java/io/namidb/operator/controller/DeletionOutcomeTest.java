package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.namidb.operator.api.DeletionPolicy;
import io.namidb.operator.api.NamiNamespace;
import io.namidb.operator.controller.DeletionOutcome.Done;
import io.namidb.operator.controller.DeletionOutcome.Fate;
import io.namidb.operator.testing.Tenants;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** What each ending of a deletion reports: Event, log line and the data-retained counter. */
class DeletionOutcomeTest {
  private static final String URI = "s3://namidb/data?ns=acme";

  @Test
  void purgedIsANormalEventAnInfoLineAndNotCounted() {
    Done done = Done.purged(URI);

    assertThat(done.fate().reason()).isEqualTo("Purged");
    assertThat(done.fate().eventType()).contains(EventRecorder.NORMAL);
    assertThat(done.fate().logLevel()).isEqualTo(Logger.Level.INFO);
    assertThat(done.message()).isEqualTo("the namespace's data was purged. uri=" + URI);
    assertThat(retainedCount(done.fate(), "Purged")).isNull();
  }

  @Test
  void retainIsANormalEventAnInfoLineAndCountedAsRetainedByPolicy() {
    Done done = Done.retainedByPolicy(URI);

    assertThat(done.fate().reason()).isEqualTo("RetainedByPolicy");
    assertThat(done.fate().eventType()).contains(EventRecorder.NORMAL);
    assertThat(done.fate().logLevel()).isEqualTo(Logger.Level.INFO);
    assertThat(done.message()).contains("the data stays in object storage", "uri=" + URI);
    assertThat(retainedCount(done.fate(), "RetainedByPolicy")).isEqualTo(1.0);
  }

  @Test
  void heldByAnotherResourceNamesItSaysTheDataStaysAndNeverSaysPurged() {
    Done done = Done.heldByOtherResource(DeletionPolicy.Delete, "tenants/holder", URI);

    assertThat(done.fate().reason()).isEqualTo("HeldByOtherResource");
    assertThat(done.fate().eventType()).contains(EventRecorder.WARNING);
    assertThat(done.fate().logLevel()).isEqualTo(Logger.Level.WARN);
    assertThat(done.message())
        .startsWith("another NamiNamespace, tenants/holder, uses the same storage namespace")
        .contains(
            "deletionPolicy Delete was not carried out",
            "the data stays in object storage untouched",
            "holder=tenants/holder",
            "uri=" + URI)
        .doesNotContain("was purged");
    assertThat(retainedCount(done.fate(), "HeldByOtherResource")).isEqualTo(1.0);
  }

  @Test
  void aTerminatingNamespaceRecordsNoEventWarnsWithThePurgeCommandAndKeepsItsReason() {
    Done done = Done.namespaceTerminating("acme-purge", URI);

    // kept from before the other reasons: dashboards and TenantLifecycleE2E read it
    assertThat(done.fate().reason()).isEqualTo("DataRetained");
    assertThat(done.fate().eventType()).isEmpty();
    assertThat(done.fate().logLevel()).isEqualTo(Logger.Level.WARN);
    assertThat(done.message())
        .contains("job acme-purge cannot run", "nami purge --uri " + URI + " --yes");
    assertThat(retainedCount(done.fate(), "DataRetained")).isEqualTo(1.0);
  }

  @Test
  void everyRetainedFateIsCountedUnderItsOwnReason() {
    assertThat(Fate.values())
        .extracting(Fate::retainedReason)
        .containsExactly(
            Optional.empty(),
            Optional.of("RetainedByPolicy"),
            Optional.of("HeldByOtherResource"),
            Optional.of("DataRetained"));
  }

  @Test
  void theLogLineNamesTheResourceItsPolicyTheReasonAndTheMessage() {
    NamiNamespace cr = Tenants.tenant("acme");
    cr.getMetadata().setNamespace("tenants");
    cr.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    Done done = Done.heldByOtherResource(DeletionPolicy.Delete, "tenants/holder", URI);

    assertThat(done.logLine(cr))
        .isEqualTo(
            "deleted. namespace=tenants name=acme policy=Delete reason=HeldByOtherResource"
                + " message="
                + done.message());
    cr.getSpec().setDeletionPolicy(null);
    assertThat(Done.retainedByPolicy(URI).logLine(cr)).contains("policy=Retain");
  }

  /** The counter after one deletion with {@code fate}; null when none was registered. */
  private static Double retainedCount(Fate fate, String reason) {
    MeterRegistry registry = new SimpleMeterRegistry();
    new TenantMetrics(registry).deleted(fate);
    var counter =
        registry.find("namidb.operator.deletions.data.retained").tag("reason", reason).counter();
    assertThat(registry.find("namidb.operator.deletions.data.retained").counters())
        .hasSizeLessThanOrEqualTo(1);
    return counter == null ? null : counter.count();
  }
}
