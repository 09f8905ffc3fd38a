package io.namidb.engine.schema;

import static io.namidb.engine.schema.Fixtures.MAPPER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.namidb.engine.NamiException;
import io.namidb.engine.model.Props;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonValuesTest {
  private static final PropertyType V4 = PropertyType.vector(4);

  // ---- round trips, through JSON text

  @Test
  void everyTypeRoundTripsThroughJsonText() throws Exception {
    Random random = new Random(7);
    float[] large = new float[PropertyType.MAX_DIM];
    for (int i = 0; i < large.length; i++) {
      large[i] = (float) random.nextGaussian() * 1e6f;
    }
    List<Object[]> cases =
        List.of(
            new Object[] {PropertyType.BOOL, true},
            new Object[] {PropertyType.BOOL, false},
            new Object[] {PropertyType.INT64, 0L},
            new Object[] {PropertyType.INT64, Long.MIN_VALUE},
            new Object[] {PropertyType.INT64, Long.MAX_VALUE},
            new Object[] {PropertyType.DOUBLE, 0.1},
            new Object[] {PropertyType.DOUBLE, -0.0},
            new Object[] {PropertyType.DOUBLE, Double.MIN_VALUE},
            new Object[] {PropertyType.DOUBLE, Double.MAX_VALUE},
            new Object[] {PropertyType.DOUBLE, 1e300},
            new Object[] {PropertyType.STRING, ""},
            new Object[] {PropertyType.STRING, "h\u00e9llo \u0000 \"w\u00f6rld\" \uD83D\uDE00"},
            new Object[] {PropertyType.TIMESTAMP, Instant.parse("2026-11-24T07:00:00Z")},
            new Object[] {PropertyType.TIMESTAMP, Instant.parse("2026-11-24T07:00:00.123456789Z")},
            new Object[] {PropertyType.TIMESTAMP, Instant.parse("1900-01-01T00:00:00.5Z")},
            new Object[] {PropertyType.TIMESTAMP, Values.MIN_TIMESTAMP},
            new Object[] {PropertyType.TIMESTAMP, Values.MAX_TIMESTAMP},
            new Object[] {PropertyType.BYTES, new byte[0]},
            new Object[] {PropertyType.BYTES, new byte[] {0, 1, (byte) 0xff, (byte) 0xfe, 127}},
            new Object[] {PropertyType.vector(1), new float[] {-0f}},
            new Object[] {
              V4, new float[] {Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 0.1f}
            },
            new Object[] {PropertyType.vector(PropertyType.MAX_DIM), large});
    for (Object[] c : cases) {
      PropertyType type = (PropertyType) c[0];
      Object value = c[1];
      String text = MAPPER.writeValueAsString(JsonValues.toJson(value, type));
      Object back = JsonValues.fromJson(MAPPER.readTree(text), type, "p");
      assertThat(Props.valueEquals(back, value)).as("%s %s", type, text).isTrue();
      // -0.0 keeps its sign
      if (value instanceof Double d) {
        assertThat(Double.doubleToRawLongBits((Double) back))
            .isEqualTo(Double.doubleToRawLongBits(d));
      }
    }
  }

  @Test
  void nullRoundTripsForEveryType() {
    for (String t :
        List.of("BOOL", "INT64", "DOUBLE", "STRING", "TIMESTAMP", "BYTES", "VECTOR(3)")) {
      PropertyType type = PropertyType.parse(t);
      JsonNode json = JsonValues.toJson(null, type);
      assertThat(json.isNull()).isTrue();
      assertThat(JsonValues.fromJson(json, type, "p")).isNull();
      assertThat(JsonValues.fromJson(MissingNode.getInstance(), type, "p")).isNull();
      assertThat(JsonValues.fromJson(null, type, "p")).isNull();
    }
  }

  @Test
  void writtenForms() throws Exception {
    assertThat(text(Instant.parse("2026-11-24T07:00:00.120Z"), PropertyType.TIMESTAMP))
        .isEqualTo("\"2026-11-24T07:00:00.120Z\"");
    assertThat(text(Instant.parse("2026-11-24T07:00:00Z"), PropertyType.TIMESTAMP))
        .isEqualTo("\"2026-11-24T07:00:00Z\"");
    assertThat(text(new byte[] {0, 1, (byte) 0xff}, PropertyType.BYTES)).isEqualTo("\"AAH/\"");
    assertThat(text(new byte[] {1}, PropertyType.BYTES)).isEqualTo("\"AQ==\"");
    assertThat(text(new float[] {1.5f, -2f, 0.1f, 0f}, V4)).isEqualTo("[1.5,-2.0,0.1,0.0]");
    assertThat(text(Long.MAX_VALUE, PropertyType.INT64)).isEqualTo("9223372036854775807");
    assertThat(text(2.5, PropertyType.DOUBLE)).isEqualTo("2.5");
    assertThat(text(true, PropertyType.BOOL)).isEqualTo("true");
    assertThat(JsonValues.keyToJson(42L).isIntegralNumber()).isTrue();
    assertThat(JsonValues.keyToJson("bob").textValue()).isEqualTo("bob");
  }

  @Test
  void acceptedInputForms() {
    assertThat(from("1", PropertyType.DOUBLE)).isEqualTo(1.0);
    assertThat(from("-9223372036854775808", PropertyType.INT64)).isEqualTo(Long.MIN_VALUE);
    assertThat(from("\"2026-11-24T09:00:00+02:00\"", PropertyType.TIMESTAMP))
        .isEqualTo(Instant.parse("2026-11-24T07:00:00Z"));
    assertThat(from("\"2026-11-24T07:00Z\"", PropertyType.TIMESTAMP))
        .isEqualTo(Instant.parse("2026-11-24T07:00:00Z"));
    assertThat((byte[]) from("\"AQ\"", PropertyType.BYTES)).containsExactly(1);
    assertThat((byte[]) from("\"\"", PropertyType.BYTES)).isEmpty();
    assertThat((float[]) from("[1, 2.5, -3e2, 0]", V4)).containsExactly(1f, 2.5f, -300f, 0f);
    assertThat(from("\"\"", PropertyType.STRING)).isEqualTo("");
  }

  // ---- refusals

  @Test
  void boolAcceptsOnlyTrueAndFalse() {
    assertRefused("\"true\"", PropertyType.BOOL, "p: expected BOOL, got JSON string");
    assertRefused("1", PropertyType.BOOL, "p: expected BOOL, got JSON number");
  }

  @Test
  void int64AcceptsOnlyIntegralNumbersInRange() {
    assertRefused(
        "1.5",
        PropertyType.INT64,
        "p: expected INT64, got a number with a fraction or exponent. value=1.5");
    assertRefused(
        "1.0",
        PropertyType.INT64,
        "p: expected INT64, got a number with a fraction or exponent. value=1.0");
    assertRefused(
        "1e3",
        PropertyType.INT64,
        "p: expected INT64, got a number with a fraction or exponent. value=1000.0");
    assertRefused(
        "9223372036854775808",
        PropertyType.INT64,
        "p: INT64 out of range. value=9223372036854775808");
    assertRefused(
        "-9223372036854775809",
        PropertyType.INT64,
        "p: INT64 out of range. value=-9223372036854775809");
    assertRefused("\"42\"", PropertyType.INT64, "p: expected INT64, got JSON string");
    assertRefused("true", PropertyType.INT64, "p: expected INT64, got JSON boolean");
  }

  @Test
  void doubleAcceptsOnlyFiniteNumbers() {
    assertRefused("\"1.5\"", PropertyType.DOUBLE, "p: expected DOUBLE, got JSON string");
    assertRefused("1e400", PropertyType.DOUBLE, "p: number out of DOUBLE range. value=Infinity");
  }

  @Test
  void stringAcceptsOnlyValidStrings() {
    assertRefused("5", PropertyType.STRING, "p: expected STRING, got JSON number");
    assertRefused("[\"a\"]", PropertyType.STRING, "p: expected STRING, got JSON array");
    assertRefused(
        "\"a\\ud800\"", PropertyType.STRING, "p: string has an unpaired surrogate. index=1");
  }

  @Test
  void timestampAcceptsOnlyIsoStringsWithOffsetInRange() {
    assertRefused(
        "1700000000000",
        PropertyType.TIMESTAMP,
        "p: expected TIMESTAMP as an ISO-8601 string, got JSON number");
    String bad =
        "p: bad TIMESTAMP, expected ISO-8601 with a zone offset, e.g. 2026-11-24T07:00:00Z";
    assertRefused("\"2026-11-24\"", PropertyType.TIMESTAMP, bad + ". value=2026-11-24");
    assertRefused(
        "\"2026-11-24T07:00:00\"", PropertyType.TIMESTAMP, bad + ". value=2026-11-24T07:00:00");
    assertRefused("\"yesterday\"", PropertyType.TIMESTAMP, bad + ". value=yesterday");
    assertRefused(
        "\"3000-01-01T00:00:00Z\"",
        PropertyType.TIMESTAMP,
        "p: TIMESTAMP out of range, must be within"
            + " 1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z."
            + " value=3000-01-01T00:00:00Z");
  }

  @Test
  void bytesAcceptOnlyBase64() {
    assertRefused(
        "[1,2]", PropertyType.BYTES, "p: expected BYTES as a base64 string, got JSON array");
    assertThatThrownBy(() -> from("\"AA-_\"", PropertyType.BYTES))
        .isInstanceOf(NamiException.class)
        .hasMessageStartingWith("p: bad BYTES, expected base64 (RFC 4648): ");
    assertThatThrownBy(() -> from("\"AQ== \"", PropertyType.BYTES))
        .hasMessageStartingWith("p: bad BYTES, expected base64 (RFC 4648): ");
  }

  @Test
  void vectorsAcceptOnlyArraysOfExactlyDimFiniteNumbers() {
    assertRefused("[1,2,3]", V4, "p: expected VECTOR(4), got an array of 3 elements");
    assertRefused("[]", V4, "p: expected VECTOR(4), got an array of 0 elements");
    assertRefused(
        "\"1,2,3,4\"", V4, "p: expected VECTOR(4) as an array of numbers, got JSON string");
    assertRefused("[1,\"2\",3,4]", V4, "p[1]: expected a number, got JSON string");
    assertRefused("[1,null,3,4]", V4, "p[1]: expected a number, got JSON null");
    assertRefused("[1,2,1e39,4]", V4, "p[2]: number out of float32 range. value=1.0E39");
  }

  @Test
  void keys() {
    assertThat(JsonValues.keyFromJson(json("42"), PropertyType.INT64, "k")).isEqualTo(42L);
    assertThat(JsonValues.keyFromJson(json("\"bob\""), PropertyType.STRING, "k")).isEqualTo("bob");
    assertThatThrownBy(() -> JsonValues.keyFromJson(json("null"), PropertyType.STRING, "k"))
        .hasMessage("k: key is required");
    assertThatThrownBy(() -> JsonValues.keyFromJson(null, PropertyType.STRING, "k"))
        .hasMessage("k: key is required");
    assertThatThrownBy(() -> JsonValues.keyFromJson(json("\"\""), PropertyType.STRING, "k"))
        .hasMessage("k: STRING key must not be empty");
    assertThatThrownBy(() -> JsonValues.keyFromJson(json("42"), PropertyType.STRING, "k"))
        .hasMessage("k: expected STRING, got JSON number");
    assertThatThrownBy(() -> JsonValues.keyFromJson(json("4.2"), PropertyType.INT64, "k"))
        .hasMessage("k: expected INT64, got a number with a fraction or exponent. value=4.2");
    assertThat(JsonValues.keyFromText("-7", PropertyType.INT64, "key")).isEqualTo(-7L);
    assertThat(JsonValues.keyFromText("bob", PropertyType.STRING, "key")).isEqualTo("bob");
    assertThatThrownBy(() -> JsonValues.keyFromText("abc", PropertyType.INT64, "key"))
        .hasMessage("key: expected an INT64 key. value=abc");
    assertThatThrownBy(() -> JsonValues.keyFromText("", PropertyType.STRING, "key"))
        .hasMessage("key: STRING key must not be empty");
  }

  @Test
  void writingAValueOfAnotherTypeIsABug() {
    assertThatThrownBy(() -> JsonValues.toJson("x", PropertyType.INT64))
        .isInstanceOf(NamiException.class)
        .hasMessage("value does not match its declared type. type=INT64 got=STRING")
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.INTERNAL);
    assertThatThrownBy(() -> JsonValues.toJson(new float[3], V4))
        .hasMessage("value does not match its declared type. type=VECTOR(4) got=VECTOR(3)");
  }

  private static String text(Object value, PropertyType type) throws Exception {
    return MAPPER.writeValueAsString(JsonValues.toJson(value, type));
  }

  private static Object from(String json, PropertyType type) {
    return JsonValues.fromJson(json(json), type, "p");
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertRefused(String json, PropertyType type, String message) {
    assertThatThrownBy(() -> from(json, type))
        .isInstanceOf(NamiException.class)
        .hasMessage(message)
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.INVALID_INPUT);
  }
}
