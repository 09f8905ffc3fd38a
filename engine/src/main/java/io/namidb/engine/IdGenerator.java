package io.namidb.engine;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * The one source of unique ids in the engine (writer ids, commit ids, segment nonces). Injected, so
 * tests can make ids deterministic with a seeded generator.
 */
public final class IdGenerator {
  private final RandomGenerator random;

  public IdGenerator(RandomGenerator random) {
    this.random = random;
  }

  /** Ids from a {@link SecureRandom}: for production. */
  public static IdGenerator secure() {
    return new IdGenerator(new SecureRandom());
  }

  /** 128 random bits as 32 lowercase hex characters. */
  public synchronized String newId() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** A short id with a readable prefix, e.g. {@code w-3f9a1c07d2b4e6a8}. */
  public synchronized String newId(String prefix) {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return prefix + "-" + HexFormat.of().formatHex(bytes);
  }
}
