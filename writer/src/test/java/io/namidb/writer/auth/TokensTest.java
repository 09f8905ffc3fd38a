package io.namidb.writer.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokensTest {
  private static final String READ = "r-0123456789abcdef";
  private static final String WRITE = "w-0123456789abcdef";

  @Test
  void eachTokenHasItsRole() {
    Tokens tokens =
        Tokens.parse("# tenant-acme\n\nread " + READ + "\n  write\t" + WRITE + "  \r\n", "tokens");
    assertThat(tokens.roleOf(READ)).contains(Role.READ);
    assertThat(tokens.roleOf(WRITE)).contains(Role.WRITE);
    assertThat(tokens.roleOf("nope-0123456789abcdef")).isEmpty();
    assertThat(tokens.roleOf("")).isEmpty();
    assertThat(tokens.roleOf(READ.substring(1))).isEmpty();
    assertThat(tokens.readCount()).isEqualTo(1);
    assertThat(tokens.writeCount()).isEqualTo(1);
  }

  @Test
  void severalTokensPerRoleAllowRotation() {
    Tokens tokens = Tokens.parse("read " + READ + "\nread " + READ + "-new\nread " + READ, "f");
    assertThat(tokens.roleOf(READ)).contains(Role.READ);
    assertThat(tokens.roleOf(READ + "-new")).contains(Role.READ);
    assertThat(tokens.readCount()).isEqualTo(2);
  }

  @Test
  void writeIncludesRead() {
    assertThat(Role.WRITE.allows(Role.READ)).isTrue();
    assertThat(Role.WRITE.allows(Role.WRITE)).isTrue();
    assertThat(Role.READ.allows(Role.READ)).isTrue();
    assertThat(Role.READ.allows(Role.WRITE)).isFalse();
  }

  @Test
  void badLinesNameTheLineAndNeverTheToken() {
    assertRefused("read " + READ + "\nadmin " + WRITE, "line=2", "expected 'read <token>'");
    assertRefused(WRITE, "line=1", "expected 'read <token>'");
    assertRefused("write", "line=1", "'write' without a token");
    assertRefused("read " + READ + " " + WRITE, "line=1", "more than one token");
    assertRefused("read short-token", "line=1", "too short. length=11 min=16");
    assertRefused("read " + READ + "\u00e9", "line=1", "printable ASCII");
    assertRefused("read " + READ + "\nwrite " + READ, "line=2", "listed as read and as write");
  }

  @Test
  void aFileWithoutTokensIsRefused() {
    assertThatThrownBy(() -> Tokens.parse("# nothing yet\n\n", "/etc/namidb/auth/tokens"))
        .isInstanceOf(Tokens.InvalidTokenFileException.class)
        .hasMessageContaining("lists no token")
        .hasMessageContaining("file=/etc/namidb/auth/tokens");
  }

  private static void assertRefused(String content, String... fragments) {
    assertThatThrownBy(() -> Tokens.parse(content, "tokens.txt"))
        .isInstanceOf(Tokens.InvalidTokenFileException.class)
        .hasMessageContaining("file=tokens.txt")
        .hasMessageContainingAll(fragments)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(READ)
                    .doesNotContain(WRITE)
                    .doesNotContain("short-token"));
  }
}
