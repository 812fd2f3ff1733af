package org.dl4jisotropic.core.testing;

/** Named tolerances from section 10 of the method notes; every exactness test draws its bound from here. */
public final class Tolerances {

    /** f(Ra) = R f(a) in float64. */
    public static final double EQUIVARIANCE_F64 = 1e-14;
    /** Analytic gradient against finite differences in float64, relative. */
    public static final double GRADIENT_F64 = 1e-8;
    /** Any float32 version of an exactness property, relative to the size of the values compared. */
    public static final double FLOAT32_RELATIVE = 1e-5;
    /** Two float64 evaluations of the same formula by different op sequences. */
    public static final double SAME_FORMULA_F64 = 1e-13;
    /**
     * Function-preserving surgery in float64 (rotation, diagonalization, growth, removal of constant neurons):
     * max logit change, and the orthogonality and singular values it relies on.
     */
    public static final double SURGERY_F64 = 1e-12;
    /** A few roundings of O(1) float64 values, computed by two routes. */
    public static final double ROUNDING_F64 = 1e-15;
    /** A few roundings of O(1) float32 values, computed by two routes. */
    public static final double ROUNDING_F32 = 1e-7;
    /** A float32 quantity that is exactly zero in exact arithmetic (a singular value, a norm's deviation from 1). */
    public static final double ZERO_F32 = 1e-6;
    /** Bit for bit: the same values copied, or read back as stored. */
    public static final double IDENTICAL = 0.0;

    private Tolerances() {
    }
}
