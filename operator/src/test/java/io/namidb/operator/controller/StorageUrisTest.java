package io.namidb.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.operator.api.StorageSpec;
import org.junit.jupiter.api.Test;

class StorageUrisTest {
  @Test
  void leavesAPlainUriAlone() {
    assertThat(StorageUris.withStore("s3://b/data?ns=t", null, null)).isEqualTo("s3://b/data?ns=t");
  }

  @Test
  void foldsEndpointWithPathStyleAndRegionIntoTheQuery() {
    StorageSpec storage = new StorageSpec();
    storage.setUri("s3://b/data?ns=t");
    storage.setEndpoint("http://minio.minio:9000");
    storage.setRegion("us-east-1");
    assertThat(StorageUris.namespace(storage))
        .isEqualTo(
            "s3://b/data?ns=t&endpoint=http%3A%2F%2Fminio.minio%3A9000&pathStyle=true"
                + "&region=us-east-1");
  }

  @Test
  void keepsAPathStyleTheUriAlreadyChose() {
    assertThat(StorageUris.withStore("s3://b?ns=t&pathStyle=false", "https://r2.example", null))
        .isEqualTo("s3://b?ns=t&pathStyle=false&endpoint=https%3A%2F%2Fr2.example");
  }

  @Test
  void startsAQueryWhenThereIsNone() {
    assertThat(StorageUris.withStore("s3://backups/t", null, "eu-west-1"))
        .isEqualTo("s3://backups/t?region=eu-west-1");
  }

  @Test
  void aBackupLocationLosesTheStoreParametersItWasWrittenWith() {
    assertThat(
            StorageUris.withoutStoreParameters(
                "s3://backups/acme/20261124T060000Z-v42?endpoint=http%3A%2F%2Fminio%3A9000&region=eu"))
        .isEqualTo("s3://backups/acme/20261124T060000Z-v42");
    assertThat(StorageUris.withoutStoreParameters("s3://backups/acme/x-v1"))
        .isEqualTo("s3://backups/acme/x-v1");
    assertThat(StorageUris.withoutStoreParameters(null)).isNull();
  }

  @Test
  void backupsGoToAFolderNamedAfterTheTenantsStorageNamespace() {
    StorageSpec storage = new StorageSpec();
    storage.setUri("s3://data/graphs?ns=tenant-acme&region=eu");
    io.namidb.operator.api.BackupDestination destination =
        new io.namidb.operator.api.BackupDestination();
    destination.setUri("s3://backups/team-a/?region=eu-west-1");
    destination.setEndpoint("http://minio:9000");
    assertThat(StorageUris.backupDestination(destination, storage))
        .isEqualTo(
            "s3://backups/team-a/tenant-acme?region=eu-west-1&endpoint=http%3A%2F%2Fminio%3A9000"
                + "&pathStyle=true");
    destination.setUri("s3://backups");
    destination.setEndpoint(null);
    assertThat(StorageUris.backupDestination(destination, storage))
        .isEqualTo("s3://backups/tenant-acme");
    // a destination that already names the tenant is used as it is
    destination.setUri("s3://backups/tenant-acme/");
    assertThat(StorageUris.backupDestination(destination, storage))
        .isEqualTo("s3://backups/tenant-acme");
    destination.setUri("s3://backups/x-tenant-acme");
    assertThat(StorageUris.backupDestination(destination, storage))
        .isEqualTo("s3://backups/x-tenant-acme/tenant-acme");
  }
}
