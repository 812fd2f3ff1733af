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

    private Tolerances() {
    }
}
