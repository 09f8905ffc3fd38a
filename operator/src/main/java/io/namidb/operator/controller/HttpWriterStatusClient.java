package io.namidb.operator.controller;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.logging.Logger;

/** {@link WriterStatusClient} over the JDK HTTP client, with a short timeout. */
@ApplicationScoped
public class HttpWriterStatusClient implements WriterStatusClient {
  private static final Logger LOG = Logger.getLogger(HttpWriterStatusClient.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final HttpClient http;
  private final Duration timeout;

  @Inject
  public HttpWriterStatusClient(OperatorConfig config) {
    this(config.writerStatusTimeout());
  }

  public HttpWriterStatusClient(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * Failures are logged at DEBUG only: the reconciler turns them into the {@code WriterReachable}
   * condition and logs once per change of it.
   */
  @Override
  public Answer fetch(String endpoint) {
    URI uri = URI.create(endpoint + Constants.STATUS_PATH);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.debugf("writer status not available. uri=%s code=%d", uri, response.statusCode());
        return Answer.failed("HTTP " + response.statusCode() + " from " + uri);
      }
      return Answer.of(JSON.readValue(response.body(), WriterReport.class));
    } catch (IOException e) {
      LOG.debugf("writer status not reachable. uri=%s error=%s", uri, e.toString());
      return Answer.failed(describe(e) + " from " + uri);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.failed("interrupted asking " + uri);
    } catch (RuntimeException e) {
      LOG.debugf("writer status not readable. uri=%s error=%s", uri, e.toString());
      return Answer.failed("unreadable answer (" + e.getClass().getSimpleName() + ") from " + uri);
    }
  }

  /** A stable description: the kind of failure, not a message carrying timings or ports. */
  private static String describe(IOException e) {
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within the timeout";
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused or unreachable";
    }
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
      return "unreadable answer";
    }
    return e.getClass().getSimpleName();
  }
}
