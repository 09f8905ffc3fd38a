package io.namidb.writer.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The bearer tokens a writer accepts, read from a token file ({@code nami serve --auth-tokens
 * FILE}, DESIGN §8). The file has one token per line:
 *
 * <pre>
 * file    = *( line LF )
 * line    = blank / comment / grant
 * comment = *WSP "#" *VCHAR
 * grant   = *WSP ( "read" / "write" ) 1*WSP token *WSP
 * token   = 16*VCHAR            ; printable ASCII without spaces, at least 16 characters
 * </pre>
 *
 * A token may be listed more than once under the same role (harmless), never under both. Several
 * tokens per role let a client move to a new token before the old one is removed (rotation).
 *
 * <p>Only SHA-256 digests of the tokens are kept, and {@link #roleOf} compares the presented
 * token's digest with every one of them without stopping early, so the time it takes does not tell
 * how much of a token was right. Messages name lines, never tokens.
 */
public final class Tokens {
  /** Shortest token accepted. */
  public static final int MIN_LENGTH = 16;

  private final List<Grant> grants;
  private final int readCount;
  private final int writeCount;

  private record Grant(byte[] digest, Role role) {}

  private Tokens(List<Grant> grants) {
    this.grants = List.copyOf(grants);
    this.readCount = (int) grants.stream().filter(g -> g.role == Role.READ).count();
    this.writeCount = grants.size() - readCount;
  }

  /**
   * Parses a token file's content.
   *
   * @param source names the file in messages
   * @throws InvalidTokenFileException naming the line and what is wrong with it, or when the file
   *     lists no token at all
   */
  public static Tokens parse(String content, String source) {
    List<Grant> grants = new ArrayList<>();
    Set<String> read = new HashSet<>();
    Set<String> write = new HashSet<>();
    String[] lines = content.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] words = line.split("[ \t]+");
      Role role =
          switch (words[0]) {
            case "read" -> Role.READ;
            case "write" -> Role.WRITE;
            default ->
                throw invalid(
                    source,
                    lineNumber,
                    "expected 'read <token>' or 'write <token>'; the line starts with another word");
          };
      if (words.length != 2) {
        throw invalid(
            source,
            lineNumber,
            words.length < 2
                ? "'" + role.word() + "' without a token"
                : "more than one token on the line (a token cannot contain spaces)");
      }
      String token = words[1];
      if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw invalid(source, lineNumber, "the token has characters other than printable ASCII");
      }
      if (token.length() < MIN_LENGTH) {
        throw invalid(
            source,
            lineNumber,
            "the token is too short. length=" + token.length() + " min=" + MIN_LENGTH);
      }
      Set<String> same = role == Role.READ ? read : write;
      Set<String> other = role == Role.READ ? write : read;
      if (other.contains(token)) {
        throw invalid(source, lineNumber, "the same token is listed as read and as write");
      }
      if (same.add(token)) {
        grants.add(new Grant(sha256(token), role));
      }
    }
    if (grants.isEmpty()) {
      throw new InvalidTokenFileException(
          "token file lists no token: add lines 'read <token>' or 'write <token>'. file=" + source);
    }
    return new Tokens(grants);
  }

  /**
   * The role of a presented token, if it is one of these. Takes the same time whichever token (if
   * any) matches.
   */
  public Optional<Role> roleOf(String presented) {
    byte[] digest = sha256(presented);
    Role found = null;
    for (Grant grant : grants) {
      if (MessageDigest.isEqual(digest, grant.digest) && found == null) {
        found = grant.role;
      }
    }
    return Optional.ofNullable(found);
  }

  /** How many read tokens the file lists. */
  public int readCount() {
    return readCount;
  }

  /** How many write tokens the file lists. */
  public int writeCount() {
    return writeCount;
  }

  private static InvalidTokenFileException invalid(String source, int line, String problem) {
    return new InvalidTokenFileException(
        "invalid token file: " + problem + ". file=" + source + " line=" + line);
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A token file that cannot be used; the message names the file and line. */
  public static final class InvalidTokenFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidTokenFileException(String message) {
      super(message);
    }
  }
}
