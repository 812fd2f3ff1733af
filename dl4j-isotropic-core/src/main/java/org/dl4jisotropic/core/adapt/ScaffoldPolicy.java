package org.dl4jisotropic.core.adapt;

/**
 * When a hidden layer grows or shrinks: keep a buffer of K scaffold neurons.
 *
 * <p>A neuron whose singular value is at most {@code threshold} (tau) counts as a scaffold; rank-surplus neurons count
 * with singular value 0. With c scaffolds in a layer of width n:
 * <pre>
 *   change = K - c          (&gt; 0: grow by change, &lt; 0: remove the -change smallest neurons)
 *   new width clipped to [minWidth, maxWidth]
 * </pre>
 * In plain words: as training lifts scaffolds above tau the layer grows new ones, and neurons that decay below tau
 * beyond the buffer are pruned, so width follows task demand. The paper's runs use tau = 0.95, K = 5 with orthogonal
 * initialization (all singular values start at 1). Reference: G. Bird, arXiv:2602.23405, adaptive topologies.
 *
 * @param threshold      tau; finite and &gt; 0
 * @param scaffoldBuffer K; &gt;= 0
 * @param minWidth       smallest allowed width; &gt;= 1
 * @param maxWidth       largest allowed width; &gt;= minWidth
 */
public record ScaffoldPolicy(double threshold, int scaffoldBuffer, int minWidth, int maxWidth) {

    /** The paper's threshold tau. */
    public static final double DEFAULT_THRESHOLD = 0.95;
    /** The paper's scaffold buffer K. */
    public static final int DEFAULT_SCAFFOLD_BUFFER = 5;

    /** Rejects every invalid combination; builders and direct calls pass through here. */
    public ScaffoldPolicy {
        if (!(threshold > 0.0) || threshold == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("threshold (tau) must be finite and > 0, found " + threshold);
        }
        if (scaffoldBuffer < 0) {
            throw new IllegalArgumentException("scaffoldBuffer (K) must be >= 0, found " + scaffoldBuffer);
        }
        if (minWidth < 1 || minWidth > maxWidth) {
            throw new IllegalArgumentException("widths must satisfy 1 <= minWidth <= maxWidth, found minWidth="
                    + minWidth + ", maxWidth=" + maxWidth);
        }
    }

    /** The paper's settings: tau = 0.95, K = 5, width in [1, unbounded]. */
    public static ScaffoldPolicy paperDefaults() {
        return new ScaffoldPolicy(DEFAULT_THRESHOLD, DEFAULT_SCAFFOLD_BUFFER, 1, Integer.MAX_VALUE);
    }

    /** The same policy with other width bounds. */
    public ScaffoldPolicy withWidthRange(int min, int max) {
        return new ScaffoldPolicy(threshold, scaffoldBuffer, min, max);
    }

    /**
     * Width change for one layer.
     *
     * @param width         current width; &gt;= 1
     * @param scaffoldCount neurons with singular value &lt;= tau, rank-surplus ones included; in [0, width]
     * @return neurons to add (positive) or remove (negative); the resulting width lies in [minWidth, maxWidth] when
     *     the current one does, and otherwise moves towards that range
     */
    public int widthChange(int width, int scaffoldCount) {
        if (width < 1 || scaffoldCount < 0 || scaffoldCount > width) {
            throw new IllegalArgumentException("need width >= 1 and 0 <= scaffoldCount <= width, found width=" + width
                    + ", scaffoldCount=" + scaffoldCount);
        }
        long wanted = (long) width + scaffoldBuffer - scaffoldCount;
        long clipped = Math.max(minWidth, Math.min(maxWidth, wanted));
        return (int) (clipped - width);
    }
}
