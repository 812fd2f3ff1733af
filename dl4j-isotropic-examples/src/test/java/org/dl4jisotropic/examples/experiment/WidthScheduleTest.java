package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The neuroabundance schedule: three phases, a linear move, the target reached at the end of the move. */
class WidthScheduleTest {

    @Test
    void nineEpochsFromSixteenTo256HoldMoveInThreeEqualStepsAndHold() {
        WidthSchedule schedule = new WidthSchedule(16, 256, 9);
        // (256 - 16) / 3 = 80 per middle epoch, by hand.
        assertEquals(List.of(16, 16, 16, 96, 176, 256, 256, 256, 256),
                IntStream.rangeClosed(1, 9).mapToObj(schedule::widthAfter).toList());
    }

    @Test
    void shrinkingRoundsToTheNearestWidthAndEndsAtTheTarget() {
        WidthSchedule schedule = new WidthSchedule(256, 16, 5);
        // One start epoch, three middle epochs, one target epoch; 256 - 240 i / 3, by hand.
        assertEquals(List.of(256, 176, 96, 16, 16),
                IntStream.rangeClosed(1, 5).mapToObj(schedule::widthAfter).toList());
    }

    @Test
    void fewerThanThreeEpochsAreRefusedNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WidthSchedule(16, 64, 2));
        assertTrue(e.getMessage().contains("--epochs") && e.getMessage().contains("2"), e.getMessage());
    }
}
