package io.namidb.writer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.namidb.engine.FencedException;
import io.namidb.engine.NamiException;
import io.namidb.engine.NamiException.Kind;
import io.namidb.engine.schema.SchemaConflictException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiErrorsTest {
  @ParameterizedTest
  @CsvSource({
    "INVALID_INPUT, 400, invalid_input",
    "NOT_FOUND, 404, not_found",
    "CONFLICT, 409, conflict",
    "FENCED, 503, fenced",
    "TRANSIENT, 503, unavailable",
    "CONFIGURATION, 500, configuration",
    "CORRUPT, 500, corrupt",
    "INTERNAL, 500, internal"
  })
  void everyKindHasItsStatusAndCode(Kind kind, int status, String code) {
    ApiErrors.ApiError e = ApiErrors.of(new NamiException(kind, "what. k=v"));
    assertThat(e.status()).isEqualTo(status);
    assertThat(e.code()).isEqualTo(code);
    assertThat(e.message()).isEqualTo("what. k=v");
  }

  @Test
  void specificExceptionsMapByTheirKind() {
    assertThat(ApiErrors.of(new FencedException("fenced: x")).code()).isEqualTo("fenced");
    assertThat(ApiErrors.of(new SchemaConflictException("c")).status()).isEqualTo(409);
  }

  @Test
  void aBatchOverTheEnginesSizeLimitIs413TooLarge() {
    ApiErrors.ApiError e =
        ApiErrors.of(new CompletionException(new NamiException(Kind.TOO_LARGE, "batch too large")));
    assertThat(e.status()).isEqualTo(413);
    assertThat(e.code()).isEqualTo("too_large");
  }

  @Test
  void failuresOfFuturesAreUnwrapped() {
    ApiErrors.ApiError e =
        ApiErrors.of(new CompletionException(new NamiException(Kind.INVALID_INPUT, "bad")));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.message()).isEqualTo("bad");
  }

  @Test
  void httpProblemsAndTheUnexpected() {
    assertThat(ApiErrors.of(new HttpProblem(413, ApiErrors.TOO_LARGE, "big")).status())
        .isEqualTo(413);
    ApiErrors.ApiError e = ApiErrors.of(new IllegalStateException("boom"));
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.code()).isEqualTo("internal");
  }

  @Test
  void bodyIsErrorAndMessage() {
    assertThat(ApiErrors.body(new ApiErrors.ApiError(400, "invalid_input", "m")).toString())
        .isEqualTo("{\"error\":\"invalid_input\",\"message\":\"m\"}");
  }
}
