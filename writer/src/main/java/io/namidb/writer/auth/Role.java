package io.namidb.writer.auth;

/**
 * What a bearer token may do. {@link #WRITE} includes {@link #READ}.
 *
 * <ul>
 *   <li>{@code read}: {@code GET} endpoints, {@code POST /v1/traverse}, {@code POST
 *       /v1/vectors/search} and read-only queries;
 *   <li>{@code write}: everything.
 * </ul>
 */
public enum Role {
  READ,
  WRITE;

  /** Whether a token of this role may do what {@code needed} asks. */
  public boolean allows(Role needed) {
    return this == WRITE || needed == READ;
  }

  /** The word of the token file: {@code read} or {@code write}. */
  public String word() {
    return this == READ ? "read" : "write";
  }
}
