package org.dl4jisotropic.layers.activation;

import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IsotropicProfile;

/**
 * The isotropic activation with radial profile sigma(r) = max(r - 1, 0): vectors shorter than 1 map to 0, longer ones are shortened by 1.
 *
 * <pre>
 *   f(a) = sigma(rho) / rho * a,     rho = sqrt(||a||^2 + o)
 * </pre>
 * Drop-in: {@code new DenseLayer.Builder().nOut(256).activation(new IsotropicShiftedRelu()).build()}.
 * See {@link IsotropicActivation} for the axis and intrinsic length.
 */
public final class IsotropicShiftedRelu extends IsotropicActivation {

    private static final long serialVersionUID = 1L;

    /** o = 0, norm over dimension 1. */
    public IsotropicShiftedRelu() {
        super();
    }

    /**
     * With a fixed squared intrinsic length, norm over dimension 1.
     *
     * @param squaredIntrinsicLength o; finite and &gt;= 0
     */
    public IsotropicShiftedRelu(double squaredIntrinsicLength) {
        super(squaredIntrinsicLength, FeatureAxis.CHANNELS_FIRST);
    }

    /**
     * With a fixed squared intrinsic length and feature axis.
     *
     * @param squaredIntrinsicLength o; finite and &gt;= 0
     * @param featureAxis            the dimension that holds the layer vector
     */
    public IsotropicShiftedRelu(double squaredIntrinsicLength, FeatureAxis featureAxis) {
        super(squaredIntrinsicLength, featureAxis);
    }

    @Override
    public IsotropicProfile profile() {
        return IsotropicProfile.SHIFTED_RELU;
    }
}
