package org.dl4jisotropic.examples.experiment;

/**
 * The neuroabundance schedule: {@code epochs} epochs split into three phases, a few at the start width, widths moved
 * linearly to the target over the middle epochs, the rest at the target. The start and target phases get
 * {@code epochs / 3} epochs each; the middle phase the remainder (so at least one).
 *
 * <pre>
 *   width after middle epoch i (1 &lt;= i &lt;= m) = round(start + (target - start) * i / m)
 * </pre>
 * so the width reaches the target exactly at the end of the middle phase.
 *
 * @param start  start width
 * @param target target width
 * @param epochs total epochs; &gt;= 3
 */
public record WidthSchedule(int start, int target, int epochs) {

    /** Checks the epochs. */
    public WidthSchedule {
        if (epochs < 3) {
            throw new IllegalArgumentException("--epochs must be >= 3 for neuroabundance (start, move and target "
                    + "phases), found " + epochs);
        }
    }

    /** Epochs at the start width. */
    public int startEpochs() {
        return epochs / 3;
    }

    /** Epochs during which the width moves. */
    public int moveEpochs() {
        return epochs - 2 * (epochs / 3);
    }

    /** The width the network must have after {@code epoch} (from 1). */
    public int widthAfter(int epoch) {
        int moved = Math.min(Math.max(epoch - startEpochs(), 0), moveEpochs());
        return (int) Math.round(start + (double) (target - start) * moved / moveEpochs());
    }
}
