package org.dl4jisotropic.layers.activation;

import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IsotropicProfile;

/**
 * The isotropic activation with radial profile sigma(r) = log(1 + r), unbounded but slowly growing.
 *
 * <pre>
 *   f(a) = sigma(rho) / rho * a,     rho = sqrt(||a||^2 + o)
 * </pre>
 * Drop-in: {@code new DenseLayer.Builder().nOut(256).activation(new IsotropicLog1p()).build()}.
 * See {@link IsotropicActivation} for the axis and intrinsic length.
 */
public final class IsotropicLog1p extends IsotropicActivation {

    private static final long serialVersionUID = 1L;

    /** o = 0, norm over dimension 1. */
    public IsotropicLog1p() {
        super();
    }

    /**
     * With a fixed squared intrinsic length, norm over dimension 1.
     *
     * @param squaredIntrinsicLength o; finite and &gt;= 0
     */
    public IsotropicLog1p(double squaredIntrinsicLength) {
        super(squaredIntrinsicLength, FeatureAxis.CHANNELS_FIRST);
    }

    /**
     * With a fixed squared intrinsic length and feature axis.
     *
     * @param squaredIntrinsicLength o; finite and &gt;= 0
     * @param featureAxis            the dimension that holds the layer vector
     */
    public IsotropicLog1p(double squaredIntrinsicLength, FeatureAxis featureAxis) {
        super(squaredIntrinsicLength, featureAxis);
    }

    @Override
    public IsotropicProfile profile() {
        return IsotropicProfile.LOG1P;
    }
}
