package io.namidb.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.namidb.engine.NamiException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * How {@link S3ObjectStore} reacts to S3 responses that a healthy MinIO cannot be made to give on
 * demand (409 ConditionalRequestConflict, 503 SlowDown, 500, a server ignoring Range): a scripted
 * HTTP endpoint on 127.0.0.1 answers with exactly those responses. Everything else is proved
 * against real MinIO in {@link S3ObjectStoreIT}. Backoff is zero, so nothing sleeps.
 */
class S3ObjectStoreRetryTest {
  private record Reply(int status, String code, Map<String, String> headers, byte[] body) {}

  private record Request(String method, String path, Map<String, List<String>> headers) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final Deque<Reply> script = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private HttpServer server;
  private ExecutorService executor;
  private S3ObjectStore store;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "scripted-s3"));
    server.setExecutor(executor);
    server.createContext("/", this::answer);
    server.start();
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    StoreLocation location =
        StoreLocation.parse(
            "s3://bucket/root?pathStyle=true&region=us-east-1&endpoint="
                + URLEncoder.encode(endpoint, StandardCharsets.UTF_8));
    store =
        S3ObjectStore.builder(location)
            .credentials(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
            .maxAttempts(4)
            .backoff(Duration.ZERO, Duration.ZERO)
            .build();
  }

  @AfterEach
  void stop() {
    store.close();
    server.stop(0);
    executor.shutdownNow();
  }

  private void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    Reply reply;
    synchronized (this) {
      requests.add(
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              Map.copyOf(exchange.getRequestHeaders())));
      reply = script.isEmpty() ? new Reply(200, null, Map.of(), new byte[0]) : script.poll();
    }
    byte[] body = reply.body();
    if (reply.code() != null) {
      body =
          ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                  + reply.code()
                  + "</Code><Message>scripted</Message><RequestId>req-"
                  + requests.size()
                  + "</RequestId></Error>")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/xml");
    }
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    boolean noBody = exchange.getRequestMethod().equals("HEAD") || body.length == 0;
    exchange.sendResponseHeaders(reply.status(), noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  private synchronized void then(int status, String code) {
    script.add(new Reply(status, code, Map.of(), new byte[0]));
  }

  private synchronized void then(int status, Map<String, String> headers, String body) {
    script.add(new Reply(status, null, headers, body.getBytes(StandardCharsets.UTF_8)));
  }

  private synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  @Test
  void conditionalRequestConflictIsRetriedWithTheSameCondition() {
    then(409, "ConditionalRequestConflict");
    then(409, "ConditionalRequestConflict");

    store.putIfAbsent("wal/1", "x".getBytes(StandardCharsets.UTF_8));

    assertThat(requests()).hasSize(3);
    assertThat(requests())
        .allSatisfy(
            r -> {
              assertThat(r.method()).isEqualTo("PUT");
              assertThat(r.path()).isEqualTo("/bucket/root/wal/1");
              assertThat(r.header("If-None-Match")).isEqualTo("*");
            });
  }

  @Test
  void preconditionFailedIsACollisionAndNotRetried() {
    then(412, "PreconditionFailed");

    assertThatThrownBy(() -> store.putIfAbsent("wal/1", new byte[] {1}))
        .isInstanceOf(ObjectExistsException.class);
    assertThat(requests()).hasSize(1);
  }

  @Test
  void throttlingAndServerErrorsAreRetried() {
    then(503, "SlowDown");
    then(500, "InternalError");
    then(200, Map.of("ETag", "\"abc\""), "data");

    assertThat(store.get("k")).isEqualTo("data".getBytes(StandardCharsets.UTF_8));
    assertThat(requests()).hasSize(3);
  }

  @Test
  void failuresThatOutlastTheRetriesAreTransient() {
    for (int i = 0; i < 4; i++) {
      then(503, "ServiceUnavailable");
    }

    assertThatThrownBy(() -> store.get("k"))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(NamiException.Kind.TRANSIENT);
              assertThat(e.getMessage())
                  .startsWith("s3 request failed.")
                  .contains("op=get", "key=k", "status=503", "code=ServiceUnavailable");
            });
    assertThat(requests()).hasSize(4);
    assertThat(store.stats().errors(StoreOp.GET)).isEqualTo(1);
  }

  @Test
  void refusalsSayWhichPartOfTheCredentialIsWrongAndAreNotRetried() {
    then(403, "AccessDenied");
    then(403, "InvalidAccessKeyId");
    then(403, "SignatureDoesNotMatch");

    assertThatThrownBy(() -> store.get("k"))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(NamiException.Kind.CONFIGURATION);
              assertThat(e.getMessage())
                  .startsWith("s3 access denied: this credential may not do this here")
                  .contains("op=get", "key=k", "status=403", "code=AccessDenied");
            });
    assertThatThrownBy(() -> store.get("k"))
        .hasMessageStartingWith("s3 does not know this access key id");
    assertThatThrownBy(() -> store.get("k"))
        .hasMessageStartingWith("s3 refused the request's signature");
    assertThat(requests()).hasSize(3);
  }

  @Test
  void conflictsThatOutlastTheRetriesAreTransient() {
    for (int i = 0; i < 4; i++) {
      then(409, "ConditionalRequestConflict");
    }

    assertThatThrownBy(() -> store.putIfAbsent("wal/1", new byte[] {1}))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.TRANSIENT));
    assertThat(requests()).hasSize(4);
  }

  @Test
  void accessDeniedIsAConfigurationErrorAndNotRetried() {
    then(403, "AccessDenied");

    assertThatThrownBy(() -> store.put("k", new byte[] {1}))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> assertThat(e.kind()).isEqualTo(NamiException.Kind.CONFIGURATION));
    assertThat(requests()).hasSize(1);
  }

  @Test
  void rangedReadsSendARangeHeader() {
    then(206, Map.of("Content-Range", "bytes 2-4/10"), "234");

    assertThat(store.getRange("k", 2, 3)).isEqualTo("234".getBytes(StandardCharsets.UTF_8));
    assertThat(requests().get(0).header("Range")).isEqualTo("bytes=2-4");
  }

  @Test
  void aRangeStartingPastTheEndIsEmpty() {
    then(416, "InvalidRange");

    assertThat(store.getRange("k", 10, 3)).isEmpty();
  }

  @Test
  void aServerThatIgnoresRangeStillYieldsTheRange() {
    then(200, Map.of(), "0123456789");

    assertThat(store.getRange("k", 2, 3)).isEqualTo("234".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aServerThatIgnoresRangeYieldsTheTailWhenTheRangeRunsPastTheEnd() {
    then(200, Map.of(), "0123456789");
    then(200, Map.of(), "0123456789");
    then(200, Map.of(), "0123456789");

    assertThat(store.getRange("k", 2, 20)).isEqualTo("23456789".getBytes(StandardCharsets.UTF_8));
    assertThat(store.getRange("k", 2, 8)).isEqualTo("23456789".getBytes(StandardCharsets.UTF_8));
    assertThat(store.getRange("k", 12, 3)).isEmpty();
  }

  @Test
  void aPartialAnswerForAnotherRangeIsRefused() {
    then(206, Map.of("Content-Range", "bytes 0-2/10"), "012");

    assertThatThrownBy(() -> store.getRange("k", 2, 3))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(NamiException.Kind.INTERNAL);
              assertThat(e.getMessage())
                  .startsWith("s3 answered a ranged read with other bytes than asked for.")
                  .contains("key=k", "offset=2", "length=3", "contentRange=bytes 0-2/10");
            });
  }

  @Test
  void aPartialAnswerWithoutContentRangeIsRefused() {
    then(206, Map.of(), "234");

    assertThatThrownBy(() -> store.getRange("k", 2, 3))
        .isInstanceOfSatisfying(
            ObjectStoreException.class,
            e ->
                assertThat(e.getMessage())
                    .startsWith("s3 answered a ranged read with other bytes than asked for.")
                    .contains("status=206", "contentRange=null"));
  }

  @Test
  void etagsAreNormalisedWhateverTheServerQuoting() {
    then(200, Map.of("ETag", "W/\"abc123\"", "Content-Length", "0"), "");

    assertThat(store.head("k")).map(ObjectInfo::etag).hasValue("abc123");
  }
}
