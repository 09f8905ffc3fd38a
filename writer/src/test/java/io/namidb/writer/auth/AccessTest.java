package io.namidb.writer.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class AccessTest {
  @Test
  void probesAndMetricsAreOpenByExactPathOnly() {
    assertThat(Access.open("/q/health/ready")).isTrue();
    assertThat(Access.open("/q/health/live")).isTrue();
    assertThat(Access.open("/q/health/started")).isTrue();
    assertThat(Access.open("/q/metrics")).isTrue();
    assertThat(Access.open("/q/health/../../v1/write")).isFalse();
    assertThat(Access.open("/q/metrics/x")).isFalse();
    assertThat(Access.open("/v1/status")).isFalse();
  }

  @Test
  void readsNeedReadAndEverythingElseWrite() {
    assertThat(Access.needed(HttpMethod.GET, "/v1/nodes/Person/alice")).isEqualTo(Role.READ);
    assertThat(Access.needed(HttpMethod.GET, "/v1/schema")).isEqualTo(Role.READ);
    assertThat(Access.needed(HttpMethod.POST, "/v1/traverse")).isEqualTo(Role.READ);
    assertThat(Access.needed(HttpMethod.POST, "/v1/vectors/search")).isEqualTo(Role.READ);
    assertThat(Access.needed(HttpMethod.POST, "/v1/query")).isEqualTo(Role.READ);
    assertThat(Access.needed(HttpMethod.POST, "/v1/write")).isEqualTo(Role.WRITE);
    assertThat(Access.needed(HttpMethod.PUT, "/v1/schema")).isEqualTo(Role.WRITE);
    assertThat(Access.needed(HttpMethod.DELETE, "/v1/nodes/Person/alice")).isEqualTo(Role.WRITE);
    assertThat(Access.needed(HttpMethod.POST, "/v1/traverse/x")).isEqualTo(Role.WRITE);
  }
}
