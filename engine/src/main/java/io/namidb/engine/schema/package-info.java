/**
 * The namespace schema (DESIGN §5): {@link io.namidb.engine.schema.Schema} with its JSON form,
 * additive evolution, batch validation and JSON value coercion. Design note: {@code
 * docs/design/0003-schema.md}.
 */
package io.namidb.engine.schema;
