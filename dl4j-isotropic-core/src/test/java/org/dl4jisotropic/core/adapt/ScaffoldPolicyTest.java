package org.dl4jisotropic.core.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScaffoldPolicyTest {

    @ParameterizedTest(name = "width {0}, {1} scaffolds -> {2}")
    @CsvSource({"10, 0, 5", "10, 2, 3", "10, 5, 0", "10, 8, -3", "10, 10, -5"})
    void changeRestoresTheBufferOfFiveScaffolds(int width, int scaffolds, int expected) {
        assertEquals(expected, ScaffoldPolicy.paperDefaults().widthChange(width, scaffolds));
    }

    @Test
    void growthStopsAtTheMaximumWidth() {
        assertEquals(2, ScaffoldPolicy.paperDefaults().withWidthRange(1, 12).widthChange(10, 0));
    }

    @Test
    void shrinkingStopsAtTheMinimumWidth() {
        assertEquals(-2, ScaffoldPolicy.paperDefaults().withWidthRange(8, 100).widthChange(10, 10));
    }

    @Test
    void aLayerOutsideTheRangeMovesIntoIt() {
        assertEquals(-5, new ScaffoldPolicy(0.5, 0, 1, 5).widthChange(10, 0));
    }

    @Test
    void zeroOrNegativeThresholdIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScaffoldPolicy(0.0, 5, 1, 10));
        assertTrue(e.getMessage().contains("threshold (tau) must be finite and > 0, found 0.0"), e.getMessage());
    }

    @Test
    void nanThresholdIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ScaffoldPolicy(Double.NaN, 5, 1, 10));
    }

    @Test
    void negativeBufferIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScaffoldPolicy(0.9, -1, 1, 10));
        assertTrue(e.getMessage().contains("scaffoldBuffer (K) must be >= 0, found -1"), e.getMessage());
    }

    @Test
    void minimumAboveMaximumIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScaffoldPolicy(0.9, 5, 20, 10));
        assertTrue(e.getMessage().contains("minWidth=20, maxWidth=10"), e.getMessage());
    }
}
