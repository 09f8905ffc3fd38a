package io.namidb.engine.sst;

import io.namidb.engine.NamiException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The columns of a node SST: the key type ({@code STRING} or {@code INT64}) and each property's
 * type in the schema's text form ({@code BOOL, INT64, DOUBLE, STRING, TIMESTAMP, BYTES,
 * VECTOR(dim)}).
 */
public record NodeColumns(String keyType, Map<String, String> properties) {
  public NodeColumns {
    if (!keyType.equals("STRING") && !keyType.equals("INT64")) {
      throw new NamiException(NamiException.Kind.INVALID_INPUT, "bad key type " + keyType);
    }
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /** The dimension of a {@code VECTOR(dim)} type, or -1. */
  static int vectorDim(String type) {
    if (type.startsWith("VECTOR(") && type.endsWith(")")) {
      return Integer.parseInt(type.substring(7, type.length() - 1));
    }
    return -1;
  }
}
