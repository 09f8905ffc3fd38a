package io.namidb.bench.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The side-by-side table: one line per {@link Row}, one column per engine, each figure the median
 * of the rounds with its min–max, and the ratio NamiDB (local store) ÷ the best peer figure of the
 * same row.
 */
public final class Report {
  /** The columns in table order, with their headers. */
  static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("namidb-local", "NamiDB, local dir");
    COLUMNS.put("namidb-minio", "NamiDB, MinIO");
    COLUMNS.put("neo4j", "Neo4j 5.26.0 embedded");
    COLUMNS.put("kuzu", "Kuzu 0.11.2");
  }

  private static final String NAMIDB = "namidb-local";

  private final String title;
  private final List<String> columns;
  private final List<Measurement> measurements;

  /**
   * A report of the measurements of the engines in {@code columns}.
   *
   * @param title a line on the run (graph, rounds)
   */
  public Report(String title, List<String> columns, List<Measurement> measurements) {
    this.title = title;
    this.columns = columns;
    this.measurements = measurements;
  }

  /** The markdown table. */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append(title).append("\n\n| row | unit |");
    columns.forEach(c -> sb.append(' ').append(COLUMNS.get(c)).append(" |"));
    sb.append(" NamiDB ÷ best peer |\n|---|---|");
    columns.forEach(c -> sb.append("---:|"));
    sb.append("---:|\n");
    for (Row row : Row.values()) {
      List<String> cells = new ArrayList<>();
      boolean any = false;
      for (String c : columns) {
        List<Measurement> ms = of(row, c);
        any |= !ms.isEmpty();
        cells.add(ms.isEmpty() ? "" : cell(ms));
      }
      if (!any) {
        continue;
      }
      sb.append("| ").append(row.title()).append(" | ").append(row.unit()).append(" |");
      cells.forEach(cell -> sb.append(' ').append(cell).append(" |"));
      sb.append(' ').append(ratio(row).orElse("")).append(" |\n");
    }
    return sb.toString();
  }

  /**
   * NamiDB's figure ÷ the best peer figure of the row (largest for throughput, smallest for costs),
   * medians of the same run; empty when either side has none.
   */
  public Optional<String> ratio(Row row) {
    List<Measurement> all = of(row, NAMIDB).stream().filter(Measurement::measured).toList();
    List<Measurement> nami = all.stream().filter(m -> !isCypher(m)).toList();
    List<Measurement> cypher = all.stream().filter(Report::isCypher).toList();
    Optional<String> main =
        nami.isEmpty()
            // a row's last NamiDB variant is the one compared (e.g. bytes after full compaction)
            ? Optional.empty()
            : ratio(row, nami.get(nami.size() - 1), m -> true);
    // Cypher against the peers' Cypher: the same query language on both sides
    Optional<String> language =
        cypher.isEmpty() ? Optional.empty() : ratio(row, cypher.get(0), Report::isCypher);
    if (language.isEmpty()) {
      return main;
    }
    return Optional.of(main.map(r -> r + "; ").orElse("") + "Cypher " + language.get());
  }

  private static boolean isCypher(Measurement m) {
    return m.variant().startsWith(NamiRunner.CYPHER);
  }

  /** {@code mine} ÷ the best peer figure among those {@code which} accepts, or empty. */
  private Optional<String> ratio(
      Row row, Measurement mine, java.util.function.Predicate<Measurement> which) {
    Measurement best = null;
    for (Measurement m : measurements) {
      if (m.row().equals(row.id())
          && m.measured()
          && !m.column().startsWith("namidb")
          && which.test(m)) {
        if (best == null
            || (row.higherIsBetter() ? m.median() > best.median() : m.median() < best.median())) {
          best = m;
        }
      }
    }
    if (best == null || best.median() == 0) {
      return Optional.empty();
    }
    String against = best.column() + (best.variant().isEmpty() ? "" : " " + best.variant());
    return Optional.of(
        String.format(Locale.ROOT, "%.2f× (vs %s)", mine.median() / best.median(), against));
  }

  private List<Measurement> of(Row row, String column) {
    return measurements.stream()
        .filter(m -> m.row().equals(row.id()) && m.column().equals(column))
        .toList();
  }

  private static String cell(List<Measurement> ms) {
    List<String> parts = new ArrayList<>();
    for (Measurement m : ms) {
      if (!m.measured()) {
        parts.add("n/a: " + m.note());
        continue;
      }
      String s = number(m.median());
      if (m.values().length > 1) {
        s += " (" + number(m.min()) + "–" + number(m.max()) + ")";
      }
      if (!m.variant().isEmpty()) {
        s += " " + m.variant();
      }
      parts.add(s);
    }
    return String.join("; ", parts);
  }

  /** A figure rounded for reading: thousands separated, small values with decimals. */
  static String number(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (Math.abs(v) >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /** Writes {@code compare.md} and {@code compare.json} into {@code dir}. */
  public void write(Path dir, Map<String, Object> run) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("compare.md"), markdown());
    Map<String, Object> json = new LinkedHashMap<>(run);
    json.put("measurements", measurements);
    Map<String, String> ratios = new LinkedHashMap<>();
    for (Row row : Row.values()) {
      ratio(row).ifPresent(r -> ratios.put(row.id(), r));
    }
    json.put("ratios", ratios);
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve("compare.json").toFile(), json);
  }
}
