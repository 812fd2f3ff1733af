package org.dl4jisotropic.core.surgery;

/**
 * How one component of an optimizer's state follows a change of basis of its parameter.
 *
 * <p>For a parameter {@code P -> P R} (columns) with orthogonal R, and the corresponding row form:
 * <pre>
 *   LINEAR     m -> m R                      exact (Adam's first moment, momentum velocity)
 *   SQUARED    v -> v (R o R)                diagonal approximation (Adam's second moment, RmsProp)
 *   MAGNITUDE  u -> sqrt(u^2 (R o R))        diagonal approximation of an |g|-like statistic (AdaMax's u)
 * </pre>
 * where {@code R o R} is the elementwise square of R. For a permutation or identity, all three are exact.
 */
public enum MomentKind {
    /** Transforms exactly like the parameter and its gradient. */
    LINEAR,
    /** A running mean of squared gradients: transformed by the elementwise-squared rotation. */
    SQUARED,
    /** A running magnitude of gradients: transformed through its square. */
    MAGNITUDE
}
