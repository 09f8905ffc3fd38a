package io.namidb.engine.schema;

import io.namidb.engine.NamiException;
import java.util.Objects;

/**
 * The type of a property or node key (DESIGN §5). Its text form, used in schema JSON, is one of
 * {@code BOOL, INT64, DOUBLE, STRING, TIMESTAMP, BYTES} or {@code VECTOR(dim)} (float32, {@code
 * dim} in {@value #MIN_DIM}..{@value #MAX_DIM}). Names are upper case and parsed exactly: no
 * spaces, no leading zeros in the dimension. Every type is nullable.
 *
 * <p>Java value of each type: BOOL {@link Boolean}, INT64 {@link Long}, DOUBLE {@link Double},
 * STRING {@link String}, TIMESTAMP {@link java.time.Instant}, BYTES {@code byte[]}, VECTOR {@code
 * float[]} of exactly {@code dim} elements.
 *
 * @param kind the type without its dimension
 * @param dim the vector dimension; 0 for every other kind
 */
public record PropertyType(Kind kind, int dim) {

  /** The type families. */
  public enum Kind {
    BOOL,
    INT64,
    DOUBLE,
    STRING,
    TIMESTAMP,
    BYTES,
    VECTOR
  }

  public static final int MIN_DIM = 1;
  public static final int MAX_DIM = 65536;

  public static final PropertyType BOOL = new PropertyType(Kind.BOOL, 0);
  public static final PropertyType INT64 = new PropertyType(Kind.INT64, 0);
  public static final PropertyType DOUBLE = new PropertyType(Kind.DOUBLE, 0);
  public static final PropertyType STRING = new PropertyType(Kind.STRING, 0);
  public static final PropertyType TIMESTAMP = new PropertyType(Kind.TIMESTAMP, 0);
  public static final PropertyType BYTES = new PropertyType(Kind.BYTES, 0);

  static final String ALLOWED = "BOOL|INT64|DOUBLE|STRING|TIMESTAMP|BYTES|VECTOR(dim)";

  public PropertyType {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.VECTOR) {
      if (dim < MIN_DIM || dim > MAX_DIM) {
        throw new NamiException(
            NamiException.Kind.INVALID_INPUT,
            "bad vector dimension, must be " + MIN_DIM + ".." + MAX_DIM + ". dim=" + dim);
      }
    } else if (dim != 0) {
      throw new NamiException(
          NamiException.Kind.INVALID_INPUT,
          "only VECTOR has a dimension. kind=" + kind + " dim=" + dim);
    }
  }

  /** {@code VECTOR(dim)}. */
  public static PropertyType vector(int dim) {
    return new PropertyType(Kind.VECTOR, dim);
  }

  /**
   * Parses the text form.
   *
   * @throws NamiException {@code INVALID_INPUT} for an unknown name or a bad dimension
   */
  public static PropertyType parse(String text) {
    Objects.requireNonNull(text, "text");
    switch (text) {
      case "BOOL":
        return BOOL;
      case "INT64":
        return INT64;
      case "DOUBLE":
        return DOUBLE;
      case "STRING":
        return STRING;
      case "TIMESTAMP":
        return TIMESTAMP;
      case "BYTES":
        return BYTES;
      case "VECTOR":
        throw invalid("vector type needs a dimension, e.g. VECTOR(64). type=" + text);
      default:
        break;
    }
    if (text.startsWith("VECTOR(") && text.endsWith(")")) {
      String digits = text.substring("VECTOR(".length(), text.length() - 1);
      int dim = parseDim(digits);
      if (dim < MIN_DIM || dim > MAX_DIM) {
        throw invalid(
            "bad vector dimension, must be an integer in "
                + MIN_DIM
                + ".."
                + MAX_DIM
                + ". type="
                + text);
      }
      return vector(dim);
    }
    throw invalid("unknown property type. type=" + text + " allowed=" + ALLOWED);
  }

  /** The dimension in canonical decimal form, or -1 when it is not one. */
  private static int parseDim(String digits) {
    if (digits.isEmpty() || digits.length() > 6 || digits.charAt(0) == '0') {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Integer.parseInt(digits);
  }

  private static NamiException invalid(String message) {
    return new NamiException(NamiException.Kind.INVALID_INPUT, message);
  }

  public boolean isVector() {
    return kind == Kind.VECTOR;
  }

  /** Whether a label may use this type for its key: {@code STRING} or {@code INT64}. */
  public boolean isKeyType() {
    return kind == Kind.STRING || kind == Kind.INT64;
  }

  /** Whether a property of this type may be indexed: every type but {@code VECTOR} and BYTES. */
  public boolean isIndexable() {
    return kind != Kind.VECTOR && kind != Kind.BYTES;
  }

  /** The text form: {@code INT64}, {@code VECTOR(64)}, ... */
  @Override
  public String toString() {
    return kind == Kind.VECTOR ? "VECTOR(" + dim + ")" : kind.name();
  }
}
