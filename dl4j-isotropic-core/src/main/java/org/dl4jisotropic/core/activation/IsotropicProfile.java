package org.dl4jisotropic.core.activation;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The radial profile sigma(r) of an isotropic activation, and the per-example scale it induces.
 *
 * <p>An isotropic activation maps a layer vector {@code a} to
 * <pre>
 *   q = ||a||^2 + o        rho = sqrt(q)        s(q) = sigma(rho) / rho        f(a) = s(q) a
 * </pre>
 * where {@code o >= 0} is the squared intrinsic length. In plain words: the vector keeps its direction and its
 * length is passed through sigma. Because only the norm enters, {@code f(R a) = R f(a)} for every orthogonal R.
 * Backpropagation needs the slope {@code s'(q) = ds/dq}; the vector-Jacobian product is
 * {@code dL/da = s g + 2 s'(q) (a . g) a} (see {@link IsotropicKernel}).
 *
 * <p>Both functions take and return arrays of {@code q} values of any shape (one value per example, or per
 * spatial position) and evaluate elementwise with ND4J ops only, so they run on every backend.
 * Reference: G. Bird, arXiv:2602.23405, section "isotropic activation functions".
 */
public enum IsotropicProfile {

    /**
     * sigma(r) = tanh(r), the default. {@code s = tanh(rho)/rho} lies in (0, 1], so {@code ||f(a)|| < 1}.
     *
     * @implNote Below {@link #SERIES_SWITCH_Q} both functions use their Taylor series in q
     *     ({@code s = 1 - q/3 + 2q^2/15 - 17q^3/315 + 62q^4/2835}), so they are exact and finite at q = 0.
     *     The switch sits at q = 1e-3 rather than rho = 1e-4: the closed form of {@code s'(q)} loses
     *     {@code eps/q} to cancellation, and at q = 1e-3 that and the series' truncation error are both about 1e-13.
     */
    TANH {
        @Override
        INDArray closedFormScale(INDArray q) {
            INDArray rho = Transforms.sqrt(q, true);
            return Transforms.tanh(rho, true).divi(rho);
        }

        @Override
        INDArray closedFormSlope(INDArray q) {
            INDArray rho = Transforms.sqrt(q, true);
            INDArray tanh = Transforms.tanh(rho, true);
            INDArray sech2 = tanh.mul(tanh).rsubi(1.0);
            // s'(q) = (sech^2(rho) - tanh(rho)/rho) / (2 q)
            return sech2.subi(tanh.divi(rho)).divi(q.mul(2.0));
        }

        @Override
        INDArray seriesScale(INDArray q) {
            return horner(q, 1.0, -1.0 / 3.0, 2.0 / 15.0, -17.0 / 315.0, 62.0 / 2835.0);
        }

        @Override
        INDArray seriesSlope(INDArray q) {
            return horner(q, -1.0 / 3.0, 4.0 / 15.0, -17.0 / 105.0, 248.0 / 2835.0);
        }
    },

    /**
     * sigma(r) = log(1 + r): unbounded but slowly growing. {@code s = log(1 + rho)/rho}.
     *
     * @implNote s is not smooth in q at 0 ({@code s = 1 - rho/2 + rho^2/3 - ...}), so its slope behaves like
     *     {@code -1/(4 rho)}. Below {@link #SERIES_SWITCH_Q} both use their series in rho (ND4J's log1p is
     *     computed as log(1 + x) and loses accuracy for small x). The slope's leading term is evaluated at
     *     {@code max(q, 1e-30)}; the term it multiplies is {@code (a . g) a}, of size at most {@code q |g|}, so the
     *     product stays finite and its error is below {@code 1e-15 |g|}.
     */
    LOG1P {
        @Override
        INDArray closedFormScale(INDArray q) {
            INDArray rho = Transforms.sqrt(q, true);
            return Transforms.log1p(rho, true).divi(rho);
        }

        @Override
        INDArray closedFormSlope(INDArray q) {
            INDArray rho = Transforms.sqrt(q, true);
            INDArray log1p = Transforms.log1p(rho, true);
            // ds/drho = (rho/(1+rho) - log(1+rho)) / rho^2, and ds/dq = ds/drho / (2 rho)
            INDArray ratio = rho.div(rho.add(1.0));
            return ratio.subi(log1p).divi(rho.mul(rho).muli(rho).muli(2.0));
        }

        @Override
        INDArray seriesScale(INDArray q) {
            // s = sum_k (-1)^k rho^k / (k+1); eleven terms keep the truncation below 1e-16 at the switch
            INDArray rho = Transforms.sqrt(q, true);
            double[] c = new double[LOG1P_SERIES_TERMS];
            for (int k = 0; k < c.length; k++) {
                c[k] = (k % 2 == 0 ? 1.0 : -1.0) / (k + 1);
            }
            return horner(rho, c);
        }

        @Override
        INDArray seriesSlope(INDArray q) {
            // s'(q) = -1/(4 rho) + sum_{k>=2} (-1)^k k rho^(k-2) / (2 (k+1)); the first term is evaluated at the floor
            INDArray rho = Transforms.sqrt(Transforms.max(q, LOG1P_SLOPE_FLOOR_Q, true), false);
            double[] c = new double[LOG1P_SERIES_TERMS - 2];
            for (int k = 2; k < LOG1P_SERIES_TERMS; k++) {
                c[k - 2] = (k % 2 == 0 ? 1.0 : -1.0) * k / (2.0 * (k + 1));
            }
            return horner(rho, c).subi(rho.rdiv(0.25));
        }
    },

    SHIFTED_RELU {
        @Override
        INDArray closedFormScale(INDArray q) {
            INDArray rho = Transforms.sqrt(q, true);
            return Transforms.max(rho.rdivi(1.0).rsubi(1.0), 0.0, false);
        }

        @Override
        INDArray closedFormSlope(INDArray q) {
            INDArray rho = Transforms.sqrt(q, true);
            INDArray active = rho.gt(1.0).castTo(q.dataType());
            return active.divi(rho.mul(rho).muli(rho).muli(2.0));
        }

        @Override
        INDArray seriesScale(INDArray q) {
            return q.mul(0.0);
        }

        @Override
        INDArray seriesSlope(INDArray q) {
            return q.mul(0.0);
        }
    };

    /**
     * Squared norm below which the series branches are used (see {@link #TANH}); also the smallest q at which
     * any closed form is evaluated, so no branch ever divides by zero.
     */
    public static final double SERIES_SWITCH_Q = 1e-3;

    /** Smallest q at which the slope of {@link #LOG1P} is evaluated (see its implementation note). */
    static final double LOG1P_SLOPE_FLOOR_Q = 1e-30;

    /** Terms of the log1p series; the first omitted one is below 1e-16 at the switch (rho about 0.032). */
    private static final int LOG1P_SERIES_TERMS = 11;

    /**
     * An upper bound on {@code |grad_a s|}, the Lipschitz constant of the scale as a function of the layer vector:
     * {@code max_r |d(sigma(r)/r)/dr|}. It is 0.3434 for tanh (at r = 0.92), 1/2 for log1p (at r = 0) and 1 for the
     * shifted ReLU (at r = 1). Used by the error bound of neuron removal.
     */
    public double scaleLipschitzBound() {
        switch (this) {
            case TANH:
                return 0.344;
            case LOG1P:
                return 0.5;
            default:
                return 1.0;
        }
    }

    /**
     * The scale {@code s(q) = sigma(sqrt(q)) / sqrt(q)}, elementwise.
     *
     * @param q squared norms plus intrinsic length, any shape, DOUBLE, every entry finite and {@code >= 0}.
     *     Not modified.
     * @return a new DOUBLE array of the same shape
     */
    public INDArray scale(INDArray q) {
        return blend(q, seriesScale(belowSwitch(q)), closedFormScale(aboveSwitch(q)));
    }

    /**
     * The slope {@code s'(q) = ds/dq}, elementwise.
     *
     * @param q squared norms plus intrinsic length, any shape, DOUBLE, every entry finite and {@code >= 0}.
     *     Not modified.
     * @return a new DOUBLE array of the same shape
     */
    public INDArray slope(INDArray q) {
        return blend(q, seriesSlope(belowSwitch(q)), closedFormSlope(aboveSwitch(q)));
    }

    /** s(q) for q &gt;= {@link #SERIES_SWITCH_Q}; returns a new array and leaves q unchanged. */
    abstract INDArray closedFormScale(INDArray q);

    /** s'(q) for q &gt;= {@link #SERIES_SWITCH_Q}. */
    abstract INDArray closedFormSlope(INDArray q);

    /** s(q) for q &lt; {@link #SERIES_SWITCH_Q}; must be finite for every q in [0, SERIES_SWITCH_Q]. */
    abstract INDArray seriesScale(INDArray q);

    /** s'(q) for q &lt; {@link #SERIES_SWITCH_Q}; must be finite for every q in [0, SERIES_SWITCH_Q]. */
    abstract INDArray seriesSlope(INDArray q);

    // Each branch sees only arguments in its own range, so the branch that is discarded is still finite (0 * Inf
    // would poison the blend).
    private static INDArray belowSwitch(INDArray q) {
        return Transforms.min(q, SERIES_SWITCH_Q, true);
    }

    private static INDArray aboveSwitch(INDArray q) {
        return Transforms.max(q, SERIES_SWITCH_Q, true);
    }

    /** Picks {@code series} where q is below the switch and {@code closed} elsewhere; both must be finite. */
    private static INDArray blend(INDArray q, INDArray series, INDArray closed) {
        INDArray useSeries = q.lt(SERIES_SWITCH_Q).castTo(DataType.DOUBLE);
        INDArray useClosed = useSeries.rsub(1.0);
        return series.muli(useSeries).addi(closed.muli(useClosed));
    }

    /** Evaluates c0 + c1 x + c2 x^2 + ... elementwise by Horner's rule. */
    private static INDArray horner(INDArray x, double... coefficients) {
        INDArray result = x.mul(0.0).addi(coefficients[coefficients.length - 1]);
        for (int i = coefficients.length - 2; i >= 0; i--) {
            result.muli(x).addi(coefficients[i]);
        }
        return result;
    }
}
