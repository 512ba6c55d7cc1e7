package dev.runkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimetableTest {

  /** The default report interval divides the validation interval, nearest to about 1/20 run. */
  @ParameterizedTest
  @CsvSource({
    "25, 30, 25", // validateEvery(25) on a 600-iteration run reported at 30: NaN train columns
    "100, 50, 50",
    "100, 30, 25",
    "97, 30, 97",
    "144, 71, 72",
    "2, 1, 1",
    "1, 5, 1"
  })
  void dividing_picksTheNearestDivisor(long interval, long about, long expected) {
    assertThat(Timetable.dividing(interval, about)).isEqualTo(expected);
  }
}
