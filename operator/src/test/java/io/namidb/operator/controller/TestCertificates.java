package io.namidb.operator.controller;

/**
 * A self-signed certificate (CN=namidb-test, EC P-256, valid for a century) and its key, made with
 * openssl for the tests only: it protects nothing.
 */
final class TestCertificates {
  private TestCertificates() {}

  static final String CERT =
      """
      -----BEGIN CERTIFICATE-----
      MIIBgjCCASmgAwIBAgIUN1/XQsQrISYpXjANDUoj5ExY2nQwCgYIKoZIzj0EAwIw
      FjEUMBIGA1UEAwwLbmFtaWRiLXRlc3QwIBcNMjYxMjA1MTQxNzE2WhgPMjEyNjEx
      MTExNDE3MTZaMBYxFDASBgNVBAMMC25hbWlkYi10ZXN0MFkwEwYHKoZIzj0CAQYI
      KoZIzj0DAQcDQgAEHjPSqZaE4a1ySRKE67YPXj27p889zaBhbrk1cuKbzXoG8ZQw
      SXBBoqRdRo9msixjGtt0mqG7QuuyH1nDpMasAqNTMFEwHQYDVR0OBBYEFAT/QOAp
      +CoYpTTLZ2E22pbT9AEfMB8GA1UdIwQYMBaAFAT/QOAp+CoYpTTLZ2E22pbT9AEf
      MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgUcbT84Ng+xqHj8wK
      7wfy7Sg+6qRcSt9gUYWn8Nev6eECICA8rebrTsXT29OUvExKPB1iMDuQUu1IfZg6
      fN4+omq1
      -----END CERTIFICATE-----
      """;

  static final String KEY =
      """
      -----BEGIN PRIVATE KEY-----
      MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjDeCjkg21Ax99XAc
      JK3LbIQq1dAjpHsc//UPbytqL92hRANCAAQeM9KploThrXJJEoTrtg9ePbunzz3N
      oGFuuTVy4pvNegbxlDBJcEGipF1Gj2ayLGMa23SaobtC67IfWcOkxqwC
      -----END PRIVATE KEY-----
      """;

  /** Another self-signed certificate (CN=namidb-other): not the tenant's. */
  static final String OTHER_CERT =
      """
      -----BEGIN CERTIFICATE-----
      MIIBhTCCASugAwIBAgIUV/vFDD270KoniXwT9gTzUiZYeXYwCgYIKoZIzj0EAwIw
      FzEVMBMGA1UEAwwMbmFtaWRiLW90aGVyMCAXDTI2MTIwNTE0MTczNFoYDzIxMjYx
      MTExMTQxNzM0WjAXMRUwEwYDVQQDDAxuYW1pZGItb3RoZXIwWTATBgcqhkjOPQIB
      BggqhkjOPQMBBwNCAARZgw3rNjjy1nNeybVorEmmV70IIyO1lboxTyRZCU1PYyq7
      FD7A0AKJVtMc9mkhy6mzWgTfxBhUejYYNc5WKRiTo1MwUTAdBgNVHQ4EFgQUUv8d
      1ZfVQllB6p0KFB0WDfjoAY4wHwYDVR0jBBgwFoAUUv8d1ZfVQllB6p0KFB0WDfjo
      AY4wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEAsxKS3LtCQ65Q
      AS1BVqm5KnkBhL3mvBjLKKi8EXRFzR4CIBPDpr2b5ZHl2TZSVyN1cASE0gVZxdRo
      5r3qg3YmXibq
      -----END CERTIFICATE-----
      """;
}
