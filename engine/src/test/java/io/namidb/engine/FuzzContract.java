package io.namidb.engine;

import java.util.Arrays;
import java.util.Set;

/**
 * The contract every fuzz target checks (issue 12): a decoder or parser given any input either
 * succeeds or refuses with a {@link NamiException} of an expected kind. Anything else escaping it
 * (a {@link NullPointerException}, an index out of bounds, an {@link OutOfMemoryError} from a huge
 * length field, a NamiException of another kind) is a finding. Hangs are bounded by the targets'
 * JUnit {@code @Timeout}, which Jazzer applies to each input.
 */
public final class FuzzContract {
  private FuzzContract() {}

  /** Something the target does with one input. */
  @FunctionalInterface
  public interface Call {
    void run() throws Exception;
  }

  /**
   * Runs {@code call}; it passes when it returns or throws a NamiException whose kind is one of
   * {@code allowed}. Other throwables propagate (Jazzer reports them) or fail here.
   *
   * @return the refusal, or null when {@code call} succeeded
   */
  public static NamiException refusedOnlyAs(Call call, NamiException.Kind... allowed) {
    try {
      call.run();
      return null;
    } catch (NamiException e) {
      if (!Set.of(allowed).contains(e.kind())) {
        throw new AssertionError(
            "refused with kind " + e.kind() + ", expected one of " + Arrays.toString(allowed), e);
      }
      return e;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("checked exception escaped: " + e, e);
    }
  }
}
