package org.dl4jisotropic.core.activation;

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
 * <p>{@link #scale} and {@link #slope} are evaluated in double, one value per example (or spatial position): the
 * kernel computes the few per-row scalars on the host and leaves the large arrays to ND4J.
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
        public double scale(double q) {
            if (q < SERIES_SWITCH_Q) {
                return horner(q, 1.0, -1.0 / 3.0, 2.0 / 15.0, -17.0 / 315.0, 62.0 / 2835.0);
            }
            double rho = Math.sqrt(q);
            return Math.tanh(rho) / rho;
        }

        @Override
        public double slope(double q) {
            if (q < SERIES_SWITCH_Q) {
                return horner(q, -1.0 / 3.0, 4.0 / 15.0, -17.0 / 105.0, 248.0 / 2835.0);
            }
            double rho = Math.sqrt(q);
            double t = Math.tanh(rho);
            // s'(q) = (sech^2(rho) - tanh(rho)/rho) / (2 q)
            return (1.0 - t * t - t / rho) / (2.0 * q);
        }
    },

    /**
     * sigma(r) = log(1 + r): unbounded but slowly growing. {@code s = log(1 + rho)/rho}.
     *
     * @implNote s is not smooth in q at 0 ({@code s = 1 - rho/2 + rho^2/3 - ...}), so its slope behaves like
     *     {@code -1/(4 rho)}. Below {@link #SERIES_SWITCH_Q} the slope uses its series in rho, with the leading term
     *     evaluated at {@code max(q, 1e-30)}; the term it multiplies is {@code (a . g) a}, of size at most
     *     {@code q |g|}, so the product stays finite and its error is below {@code 1e-15 |g|}.
     */
    LOG1P {
        @Override
        public double scale(double q) {
            double rho = Math.sqrt(q);
            return rho == 0.0 ? 1.0 : Math.log1p(rho) / rho;
        }

        @Override
        public double slope(double q) {
            if (q < SERIES_SWITCH_Q) {
                // s'(q) = -1/(4 rho) + sum_{k>=2} (-1)^k k rho^(k-2) / (2 (k+1))
                double rho = Math.sqrt(Math.max(q, LOG1P_SLOPE_FLOOR_Q));
                double sum = 0.0;
                for (int k = LOG1P_SERIES_TERMS - 1; k >= 2; k--) {
                    sum = sum * rho + (k % 2 == 0 ? 1.0 : -1.0) * k / (2.0 * (k + 1));
                }
                return sum - 0.25 / rho;
            }
            double rho = Math.sqrt(q);
            // ds/drho = (rho/(1+rho) - log(1+rho)) / rho^2, and ds/dq = ds/drho / (2 rho)
            return (rho / (1.0 + rho) - Math.log1p(rho)) / (2.0 * rho * rho * rho);
        }
    },

    /**
     * sigma(r) = max(r - 1, 0), a ReLU of the norm shifted by one: vectors shorter than 1 map to 0, longer ones
     * are shortened by 1. {@code s = max(1 - 1/rho, 0)}, with {@code s'(q) = 1/(2 rho^3)} for rho &gt; 1 and 0 below.
     */
    SHIFTED_RELU {
        @Override
        public double scale(double q) {
            double rho = Math.sqrt(q);
            return rho > 1.0 ? 1.0 - 1.0 / rho : 0.0;
        }

        @Override
        public double slope(double q) {
            double rho = Math.sqrt(q);
            return rho > 1.0 ? 1.0 / (2.0 * rho * rho * rho) : 0.0;
        }
    };

    /** Squared norm below which the series branches are used (see {@link #TANH}). */
    public static final double SERIES_SWITCH_Q = 1e-3;

    /** Smallest q at which the slope of {@link #LOG1P} is evaluated (see its implementation note). */
    static final double LOG1P_SLOPE_FLOOR_Q = 1e-30;

    /** Terms of the log1p series; the first omitted one is below 1e-16 at the switch (rho about 0.032). */
    static final int LOG1P_SERIES_TERMS = 11;

    /**
     * The scale {@code s(q) = sigma(sqrt(q)) / sqrt(q)}.
     *
     * @param q squared norm plus intrinsic length; finite and {@code >= 0}
     * @return s, finite
     */
    public abstract double scale(double q);

    /**
     * The slope {@code s'(q) = ds/dq}.
     *
     * @param q squared norm plus intrinsic length; finite and {@code >= 0}
     * @return s'(q), finite
     */
    public abstract double slope(double q);

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

    /** Evaluates c0 + c1 x + c2 x^2 + ... by Horner's rule. */
    private static double horner(double x, double... coefficients) {
        double result = coefficients[coefficients.length - 1];
        for (int i = coefficients.length - 2; i >= 0; i--) {
            result = result * x + coefficients[i];
        }
        return result;
    }
}
