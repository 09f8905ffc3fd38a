package io.namidb.engine.schema;

import io.namidb.engine.NamiException;

/**
 * A schema change that is not purely additive (DESIGN §5): a changed key type, property type or
 * edge endpoint, or a removal. Kind {@link NamiException.Kind#CONFLICT} (HTTP 409). The message
 * says what would change and why it cannot, e.g. {@code property type cannot change, stored values
 * have the old type. label=Person property=age from=INT64 to=STRING}.
 */
public class SchemaConflictException extends NamiException {
  private static final long serialVersionUID = 1L;

  public SchemaConflictException(String message) {
    super(Kind.CONFLICT, message);
  }
}
