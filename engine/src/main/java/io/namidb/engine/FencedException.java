package io.namidb.engine;

/**
 * This process no longer owns the namespace: another writer claimed a higher epoch, or took a WAL
 * segment or manifest version this writer needed. The writer stops accepting writes for good.
 */
public class FencedException extends NamiException {
  private static final long serialVersionUID = 1L;

  public FencedException(String message) {
    super(Kind.FENCED, message);
  }
}
