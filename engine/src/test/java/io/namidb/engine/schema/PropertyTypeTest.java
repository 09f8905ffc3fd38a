package io.namidb.engine.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.NamiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PropertyTypeTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BOOL",
        "INT64",
        "DOUBLE",
        "STRING",
        "TIMESTAMP",
        "BYTES",
        "VECTOR(1)",
        "VECTOR(64)",
        "VECTOR(65536)"
      })
  void textFormRoundTrips(String text) {
    assertThat(PropertyType.parse(text).toString()).isEqualTo(text);
  }

  @Test
  void parsesToTheConstants() {
    assertThat(PropertyType.parse("INT64")).isSameAs(PropertyType.INT64);
    assertThat(PropertyType.parse("VECTOR(64)")).isEqualTo(PropertyType.vector(64));
    assertThat(PropertyType.vector(64).dim()).isEqualTo(64);
    assertThat(PropertyType.STRING.dim()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"INT", "int64", "Vector(3)", "FLOAT", "", " BOOL", "VECTOR(3) "})
  void refusesUnknownNames(String text) {
    assertThatThrownBy(() -> PropertyType.parse(text))
        .isInstanceOf(NamiException.class)
        .hasMessage(
            "unknown property type. type="
                + text
                + " allowed=BOOL|INT64|DOUBLE|STRING|TIMESTAMP|BYTES|VECTOR(dim)")
        .extracting(e -> ((NamiException) e).kind())
        .isEqualTo(NamiException.Kind.INVALID_INPUT);
  }

  @Test
  void refusesAVectorWithoutDimension() {
    assertThatThrownBy(() -> PropertyType.parse("VECTOR"))
        .hasMessage("vector type needs a dimension, e.g. VECTOR(64). type=VECTOR");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "VECTOR(0)",
        "VECTOR(65537)",
        "VECTOR(064)",
        "VECTOR(-1)",
        "VECTOR( 64)",
        "VECTOR()",
        "VECTOR(x)",
        "VECTOR(9999999999)"
      })
  void refusesBadDimensions(String text) {
    assertThatThrownBy(() -> PropertyType.parse(text))
        .isInstanceOf(NamiException.class)
        .hasMessage("bad vector dimension, must be an integer in 1..65536. type=" + text);
  }

  @Test
  void constructorChecksTheDimension() {
    assertThatThrownBy(() -> PropertyType.vector(0))
        .hasMessage("bad vector dimension, must be 1..65536. dim=0");
    assertThatThrownBy(() -> PropertyType.vector(65537))
        .hasMessage("bad vector dimension, must be 1..65536. dim=65537");
    assertThatThrownBy(() -> new PropertyType(PropertyType.Kind.INT64, 3))
        .hasMessage("only VECTOR has a dimension. kind=INT64 dim=3");
  }

  @Test
  void keyAndIndexableTypes() {
    assertThat(PropertyType.STRING.isKeyType()).isTrue();
    assertThat(PropertyType.INT64.isKeyType()).isTrue();
    assertThat(PropertyType.BOOL.isKeyType()).isFalse();
    assertThat(PropertyType.TIMESTAMP.isIndexable()).isTrue();
    assertThat(PropertyType.BYTES.isIndexable()).isFalse();
    assertThat(PropertyType.vector(3).isIndexable()).isFalse();
  }
}
