package org.dl4jisotropic.examples.verify;

/**
 * One property of the invariance suite with its measured error.
 *
 * @param property  what was checked
 * @param measured  the measured error (max absolute difference, or a ratio for ratio checks)
 * @param tolerance the bound it must satisfy
 * @param passed    whether it did
 */
public record CheckResult(String property, double measured, double tolerance, boolean passed) {

    /** A check that passes when {@code measured <= tolerance} (NaN fails). */
    static CheckResult atMost(String property, double measured, double tolerance) {
        return new CheckResult(property, measured, tolerance, measured <= tolerance);
    }

    /** A negative control: passes when {@code measured > threshold}, i.e. the check is able to fail. */
    static CheckResult above(String property, double measured, double threshold) {
        return new CheckResult(property, measured, threshold, measured > threshold);
    }
}
