package io.namidb.query;

import io.namidb.engine.NamiException;

/**
 * A query that cannot be run or failed while running. {@link #code()} is the error code of the HTTP
 * answer ({@code invalid_query}, {@code unsupported}, {@code query_failed}, {@code query_timeout},
 * {@code query_too_large}); {@link #type()} and {@link #detail()} classify it as the openCypher TCK
 * does ({@code SyntaxError} / {@code UndefinedVariable}, {@code TypeError} / {@code
 * InvalidArgumentType}, ...). Syntax errors carry the line and column (1-based) of the offending
 * input.
 */
public final class CypherException extends NamiException {
  private static final long serialVersionUID = 1L;

  /** The error codes of the HTTP answer. */
  public static final String INVALID_QUERY = "invalid_query";

  public static final String UNSUPPORTED = "unsupported";
  public static final String QUERY_FAILED = "query_failed";
  public static final String TIMEOUT = "query_timeout";
  public static final String TOO_LARGE = "query_too_large";

  private final String code;
  private final String type;
  private final String detail;
  private final boolean compileTime;
  private final int line;
  private final int column;

  private CypherException(
      Kind kind,
      String code,
      String type,
      String detail,
      boolean compileTime,
      int line,
      int column,
      String message) {
    super(kind, message);
    this.code = code;
    this.type = type;
    this.detail = detail;
    this.compileTime = compileTime;
    this.line = line;
    this.column = column;
  }

  /** A syntax error at a position of the query text. */
  public static CypherException syntax(String message, int line, int column) {
    return new CypherException(
        Kind.INVALID_INPUT,
        INVALID_QUERY,
        "SyntaxError",
        "InvalidSyntax",
        true,
        line,
        column,
        message + " line=" + line + " column=" + column);
  }

  /** A query that parses but is not valid Cypher (TCK type {@code SyntaxError}, with a detail). */
  public static CypherException semantic(String detail, String message) {
    return new CypherException(
        Kind.INVALID_INPUT, INVALID_QUERY, "SyntaxError", detail, true, 0, 0, message);
  }

  /** A query whose parameters do not fit (TCK {@code ParameterMissing}). */
  public static CypherException parameterMissing(String name) {
    return new CypherException(
        Kind.INVALID_INPUT,
        INVALID_QUERY,
        "ParameterMissing",
        "MissingParameter",
        true,
        0,
        0,
        "parameter missing. parameter=" + name);
  }

  /** A valid construct NamiDB does not run: the message names it. */
  public static CypherException unsupported(String construct, String why) {
    return new CypherException(
        Kind.INVALID_INPUT,
        UNSUPPORTED,
        "Unsupported",
        "Unsupported",
        true,
        0,
        0,
        "unsupported: " + construct + (why == null || why.isEmpty() ? "" : ". " + why));
  }

  /** An error raised while the query runs ({@code TypeError}, {@code ArgumentError}, ...). */
  public static CypherException runtime(String type, String detail, String message) {
    return new CypherException(
        Kind.INVALID_INPUT, QUERY_FAILED, type, detail, false, 0, 0, message);
  }

  /** {@code TypeError} at runtime. */
  public static CypherException typeError(String message) {
    return runtime("TypeError", "InvalidArgumentType", message);
  }

  /** The query ran past its time limit. */
  public static CypherException timeout(String message) {
    return new CypherException(Kind.TRANSIENT, TIMEOUT, "Timeout", "Timeout", false, 0, 0, message);
  }

  /** The query produced or held more than its limits allow. */
  public static CypherException tooLarge(String message) {
    return new CypherException(
        Kind.TOO_LARGE, TOO_LARGE, "TooLarge", "TooLarge", false, 0, 0, message);
  }

  /** The HTTP error code. */
  public String code() {
    return code;
  }

  /** HTTP status: 503 for a timeout, 413 for a query over its limits, else 400. */
  public int httpStatus() {
    return switch (code) {
      case TIMEOUT -> 503;
      case TOO_LARGE -> 413;
      default -> 400;
    };
  }

  /** TCK error type, e.g. {@code SyntaxError}, {@code TypeError}. */
  public String type() {
    return type;
  }

  /** TCK error detail, e.g. {@code UndefinedVariable}. */
  public String detail() {
    return detail;
  }

  /** Raised before the query touched any data. */
  public boolean compileTime() {
    return compileTime;
  }

  /** 1-based line of a syntax error; 0 when not known. */
  public int line() {
    return line;
  }

  /** 1-based column of a syntax error; 0 when not known. */
  public int column() {
    return column;
  }
}
