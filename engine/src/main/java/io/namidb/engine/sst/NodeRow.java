package io.namidb.engine.sst;

import java.util.Map;

/**
 * One row of a node SST: a key with its props, or a tombstone ({@code props == null}) shadowing
 * older versions of that key.
 */
public record NodeRow(Object key, Map<String, Object> props) {
  public boolean tombstone() {
    return props == null;
  }
}
