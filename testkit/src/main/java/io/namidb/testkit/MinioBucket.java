package io.namidb.testkit;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A bucket on the test run's MinIO, fresh for each test class, and how to reach it.
 *
 * @param endpoint the S3 endpoint
 * @param bucket the bucket name
 */
public record MinioBucket(URI endpoint, String bucket) {

  public String accessKey() {
    return MinioServer.ACCESS_KEY;
  }

  public String secretKey() {
    return MinioServer.SECRET_KEY;
  }

  public String region() {
    return MinioServer.REGION;
  }

  /**
   * Environment variables that give a child process (a writer under test) these credentials through
   * the AWS SDK's default chain.
   */
  public java.util.Map<String, String> credentialsEnv() {
    return java.util.Map.of(
        "AWS_ACCESS_KEY_ID", MinioServer.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", MinioServer.SECRET_KEY,
        "AWS_REGION", MinioServer.REGION);
  }

  /** A new path-style client with the test credentials; the caller closes it. */
  public S3Client client() {
    return newClient(endpoint);
  }

  /**
   * A NamiDB namespace URI (DESIGN §2) for namespace {@code ns} in this bucket, under {@code path}
   * (null for none), pointing at this MinIO.
   */
  public String namespaceUri(String path, String ns) {
    String location = path == null || path.isEmpty() ? bucket : bucket + "/" + path;
    return "s3://"
        + location
        + "?ns="
        + ns
        + "&endpoint="
        + URLEncoder.encode(endpoint.toString(), StandardCharsets.UTF_8)
        + "&region="
        + MinioServer.REGION
        + "&pathStyle=true";
  }

  /** A new path-style client that signs with the given credentials; the caller closes it. */
  public S3Client client(String accessKey, String secretKey) {
    return newClient(endpoint, accessKey, secretKey);
  }

  static S3Client newClient(URI endpoint) {
    return newClient(endpoint, MinioServer.ACCESS_KEY, MinioServer.SECRET_KEY);
  }

  private static S3Client newClient(URI endpoint, String accessKey, String secretKey) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(MinioServer.REGION))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }
}
