package org.dl4jisotropic.core.activation;

import java.util.Objects;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Isotropic activations as compositions of stock SameDiff ops, for graphs built directly in SameDiff.
 *
 * <pre>
 *   q = sum(x^2 over the feature axis, keepDims) + o      s = sigma(sqrt(q)) / sqrt(q)      f(x) = s x
 * </pre>
 * Gradients, including those of a trainable {@code o}, come from SameDiff's own autodiff; no custom op is involved,
 * so the graph runs on every ND4J backend. The result equals {@link IsotropicKernel#forward} up to rounding.
 *
 * @implNote Near q = 0 the tanh and log1p profiles switch to their series exactly as {@link IsotropicProfile}
 *     does. The closed form is evaluated at {@code q + [q < switch] * switch} and the series at
 *     {@code [q < switch] * q}: each equals q wherever it is used and stays in its own range elsewhere, so no branch
 *     produces NaN or infinity and the discarded branch contributes a zero gradient.
 *
 * <p>Do not wrap these compositions in DL4J's {@code SameDiffLayer} or {@code SameDiffLambdaLayer}: in 1.0.0-M2.1
 * those return gradients twice too large. Use the {@code IActivation} implementations of dl4j-isotropic-layers.
 */
public final class IsotropicOps {

    private IsotropicOps() {
    }

    /**
     * Adds the isotropic tanh activation with a fixed squared intrinsic length over dimension 1.
     *
     * @param sd   the graph. Modified: new ops are added.
     * @param name name of the output variable, or {@code null} for a generated name
     * @param x    pre-activations of known rank &gt;= 2, floating point
     * @param o    squared intrinsic length; finite and &gt;= 0
     * @return the output variable, shape of {@code x}
     */
    public static SDVariable isotropicTanh(SameDiff sd, String name, SDVariable x, double o) {
        return isotropic(sd, name, x, IsotropicProfile.TANH, o, FeatureAxis.CHANNELS_FIRST);
    }

    /**
     * Adds an isotropic activation with a fixed squared intrinsic length.
     *
     * @param sd      the graph. Modified: new ops are added.
     * @param name    name of the output variable, or {@code null} for a generated name
     * @param x       pre-activations of known rank &gt;= 2, floating point
     * @param profile the radial profile
     * @param o       squared intrinsic length; finite and &gt;= 0
     * @param axis    which dimension holds the layer vector
     * @return the output variable, shape of {@code x}
     * @throws IllegalArgumentException if o is invalid or the rank of x is unknown or below 2
     */
    public static SDVariable isotropic(SameDiff sd, String name, SDVariable x, IsotropicProfile profile, double o,
                                       FeatureAxis axis) {
        IntrinsicLength.requireValidSquaredLength(o);
        return isotropic(sd, name, x, profile, sd.constant(Nd4j.scalar(x.dataType(), o)), axis);
    }

    /**
     * Adds an isotropic activation whose squared intrinsic length is a graph variable (for example
     * {@code sd.math.exp(lambda)} to train it).
     *
     * @param sd      the graph. Modified: new ops are added.
     * @param name    name of the output variable, or {@code null} for a generated name
     * @param x       pre-activations of known rank &gt;= 2, floating point
     * @param profile the radial profile
     * @param o       squared intrinsic length, a scalar variable with values &gt;= 0, dtype of x
     * @param axis    which dimension holds the layer vector
     * @return the output variable, shape of {@code x}
     * @throws IllegalArgumentException if the rank of x is unknown or below 2
     */
    public static SDVariable isotropic(SameDiff sd, String name, SDVariable x, IsotropicProfile profile,
                                       SDVariable o, FeatureAxis axis) {
        Objects.requireNonNull(sd, "sd");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(axis, "axis");
        SDVariable s = scale(sd, x, profile, o, axis);
        return x.mul(name, s);
    }

    /**
     * Adds the per-row scale {@code s = sigma(sqrt(q))/sqrt(q)} alone (the value an isotropic dense layer passes to
     * the next layer's psi correction).
     *
     * @param sd      the graph. Modified: new ops are added.
     * @param x       pre-activations of known rank &gt;= 2, floating point
     * @param profile the radial profile
     * @param o       squared intrinsic length, scalar variable, dtype of x
     * @param axis    which dimension holds the layer vector
     * @return s, shape of x with the feature axis of size 1
     */
    public static SDVariable scale(SameDiff sd, SDVariable x, IsotropicProfile profile, SDVariable o,
                                   FeatureAxis axis) {
        long[] shape = x.getShape();
        if (shape == null) {
            throw new IllegalArgumentException("x must have a known rank (create it with a shape, e.g. "
                    + "sd.placeHolder(\"in\", DataType.DOUBLE, -1, n)), found unknown shape for " + x.name());
        }
        int dim = axis.dimension(shape.length);
        DataType type = x.dataType();
        SDVariable q = x.mul(x).sum(true, dim).add(o);
        SDVariable useSeries = q.lt(IsotropicProfile.SERIES_SWITCH_Q).castTo(type);
        SDVariable useClosed = useSeries.rsub(1.0);
        // Each branch sees only arguments in its own range, so the discarded one stays finite and has zero gradient.
        SDVariable closedQ = q.add(useSeries.mul(IsotropicProfile.SERIES_SWITCH_Q));
        SDVariable seriesQ = q.mul(useSeries);
        SDVariable rho = sd.math.sqrt(closedQ);
        switch (profile) {
            case TANH: {
                SDVariable closed = sd.math.tanh(rho).div(rho);
                SDVariable series = horner(seriesQ, 1.0, -1.0 / 3.0, 2.0 / 15.0, -17.0 / 315.0, 62.0 / 2835.0);
                return series.mul(useSeries).add(closed.mul(useClosed));
            }
            case LOG1P: {
                SDVariable closed = sd.math.log1p(rho).div(rho);
                SDVariable seriesRho = sd.math.sqrt(seriesQ.add(IsotropicProfile.LOG1P_SLOPE_FLOOR_Q));
                double[] c = new double[IsotropicProfile.LOG1P_SERIES_TERMS];
                for (int k = 0; k < c.length; k++) {
                    c[k] = (k % 2 == 0 ? 1.0 : -1.0) / (k + 1);
                }
                SDVariable series = horner(seriesRho, c);
                return series.mul(useSeries).add(closed.mul(useClosed));
            }
            case SHIFTED_RELU:
                return sd.nn.relu(rho.rdiv(1.0).rsub(1.0), 0.0);
            default:
                throw new IllegalArgumentException("unknown isotropic profile " + profile);
        }
    }

    private static SDVariable horner(SDVariable x, double... coefficients) {
        SDVariable result = x.mul(coefficients[coefficients.length - 1]).add(coefficients[coefficients.length - 2]);
        for (int i = coefficients.length - 3; i >= 0; i--) {
            result = result.mul(x).add(coefficients[i]);
        }
        return result;
    }
}
