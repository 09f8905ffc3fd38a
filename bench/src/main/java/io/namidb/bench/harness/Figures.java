package io.namidb.bench.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects one engine's figures round by round, in the order first reported. */
public final class Figures {
  private final String column;
  private final Map<String, List<Double>> values = new LinkedHashMap<>();
  private final Map<String, String> notes = new LinkedHashMap<>();

  /** Figures of the table column {@code column}. */
  public Figures(String column) {
    this.column = column;
  }

  /** Adds this round's value of a row (and variant). */
  public void add(Row row, String variant, double value) {
    values.computeIfAbsent(row.id() + "\u0000" + variant, k -> new ArrayList<>()).add(value);
  }

  /** Marks a row n/a for this engine. */
  public void notAvailable(Row row, String why) {
    notes.put(row.id(), why);
  }

  /** Everything collected. */
  public List<Measurement> measurements() {
    List<Measurement> out = new ArrayList<>();
    values.forEach(
        (k, v) -> {
          String[] rowAndVariant = k.split("\u0000", -1);
          out.add(
              new Measurement(
                  column,
                  rowAndVariant[0],
                  rowAndVariant[1],
                  v.stream().mapToDouble(Double::doubleValue).toArray(),
                  ""));
        });
    notes.forEach((row, why) -> out.add(Measurement.notAvailable(column, Row.of(row), why)));
    return out;
  }
}
