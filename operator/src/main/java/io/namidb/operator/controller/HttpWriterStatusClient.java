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
import java.util.Optional;
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

  @Override
  public Optional<WriterReport> fetch(String endpoint) {
    URI uri = URI.create(endpoint + Constants.STATUS_PATH);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.debugf("writer status not available. uri=%s code=%d", uri, response.statusCode());
        return Optional.empty();
      }
      return Optional.of(JSON.readValue(response.body(), WriterReport.class));
    } catch (IOException e) {
      LOG.debugf("writer status not reachable. uri=%s error=%s", uri, e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (RuntimeException e) {
      LOG.debugf("writer status not readable. uri=%s error=%s", uri, e.toString());
      return Optional.empty();
    }
  }
}
