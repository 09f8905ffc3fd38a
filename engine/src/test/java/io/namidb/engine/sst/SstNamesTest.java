package io.namidb.engine.sst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.namidb.engine.model.Direction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SstNamesTest {

  @Test
  void idsKeepTheirEightDigitFormAndGrowPastIt() {
    assertThat(SstNames.id(3, 7)).isEqualTo("00000000000000000003-00000007");
    assertThat(SstNames.id(3, 99_999_999)).isEqualTo("00000000000000000003-99999999");
    assertThat(SstNames.id(3, 100_000_000)).isEqualTo("00000000000000000003-100000000");
  }

  @Test
  void epochAndSequenceParseBackFromOldAndWideIds() {
    String old = SstNames.idOf(SstNames.node("Person", "00000000000000000003-00000042"));
    String wide =
        SstNames.idOf(SstNames.edge("KNOWS", SstNames.id(4, 123_456_789_012L), Direction.IN));

    assertThat(SstNames.epochOf(old)).isEqualTo(3);
    assertThat(SstNames.sequenceOf(old)).isEqualTo(42);
    assertThat(SstNames.epochOf(wide)).isEqualTo(4);
    assertThat(SstNames.sequenceOf(wide)).isEqualTo(123_456_789_012L);
    assertThatThrownBy(() -> SstNames.sequenceOf("not-an-id"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id=not-an-id");
  }

  @Test
  void orderIsNumericAcrossTheEightDigitBoundary() {
    List<String> ids =
        new ArrayList<>(
            List.of(
                SstNames.id(2, 100_000_000),
                SstNames.id(1, 100_000_001),
                SstNames.id(2, 99_999_999),
                SstNames.id(2, 1),
                SstNames.id(3, 1),
                SstNames.id(2, 100_000_001)));

    ids.sort(SstNames.OLDEST_FIRST);

    assertThat(ids)
        .containsExactly(
            SstNames.id(1, 100_000_001),
            SstNames.id(2, 1),
            SstNames.id(2, 99_999_999),
            SstNames.id(2, 100_000_000),
            SstNames.id(2, 100_000_001),
            SstNames.id(3, 1));
  }
}
