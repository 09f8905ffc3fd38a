package io.namidb.bench.harness;

import java.util.Arrays;

/**
 * One figure of one engine: its value in each round, or none and a note saying why it is n/a.
 *
 * @param column the table column: {@code namidb-local}, {@code namidb-minio}, {@code neo4j} or
 *     {@code kuzu}
 * @param row a {@link Row} id
 * @param variant how it was measured when an engine has several ways (e.g. {@code core API}), else
 *     empty
 * @param values one value per round
 * @param note why there is no value, or empty
 */
public record Measurement(String column, String row, String variant, double[] values, String note) {
  public Measurement {
    variant = variant == null ? "" : variant;
    values = values == null ? new double[0] : values;
    note = note == null ? "" : note;
  }

  /** A figure that the engine cannot produce, with the reason. */
  public static Measurement notAvailable(String column, Row row, String note) {
    return new Measurement(column, row.id(), "", new double[0], note);
  }

  /** Whether there is at least one value. */
  public boolean measured() {
    return values.length > 0;
  }

  /** The median of the rounds (the mean of the middle two for an even count). */
  public double median() {
    double[] s = values.clone();
    Arrays.sort(s);
    int m = s.length / 2;
    return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  /** The smallest value. */
  public double min() {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  /** The largest value. */
  public double max() {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }
}
