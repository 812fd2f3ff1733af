package org.dl4jisotropic.layers.activation;

import java.util.Objects;

import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicKernel;
import org.dl4jisotropic.core.activation.IsotropicProfile;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An isotropic activation as a DL4J {@code IActivation}, usable in any layer that takes one: {@code DenseLayer},
 * {@code OutputLayer}, {@code ActivationLayer}, {@code ConvolutionLayer}, recurrent layers, and ComputationGraph
 * vertices.
 *
 * <pre>
 *   f(a) = sigma(rho) / rho * a,     rho = sqrt(||a||^2 + o)
 * </pre>
 * with the norm over the configured {@link FeatureAxis} (dimension 1 by default: the units of a dense layer, the
 * channels at each position of an NCHW convolution, the features at each time step of an NCW recurrent layer).
 * The squared intrinsic length o is a fixed configuration value here; a trainable o, and the psi correction, need
 * {@code IsotropicDenseLayer}.
 *
 * <p>Serializes to JSON by class name with no registration. Instances are immutable.
 * Reference: G. Bird, arXiv:2602.23405.
 */
public abstract class IsotropicActivation extends BaseActivationFunction implements Cloneable {

    private static final long serialVersionUID = 1L;

    private double squaredIntrinsicLength;
    private FeatureAxis featureAxis;

    /** For subclasses' no-arg constructors (JSON): o = 0, channels-first axis. */
    protected IsotropicActivation() {
        this(0.0, FeatureAxis.CHANNELS_FIRST);
    }

    /**
     * Creates the activation.
     *
     * @param squaredIntrinsicLength o; finite and &gt;= 0
     * @param featureAxis            the dimension that holds the layer vector
     * @throws IllegalArgumentException if o is negative or not finite
     */
    protected IsotropicActivation(double squaredIntrinsicLength, FeatureAxis featureAxis) {
        IntrinsicLength.requireValidSquaredLength(squaredIntrinsicLength);
        this.squaredIntrinsicLength = squaredIntrinsicLength;
        this.featureAxis = Objects.requireNonNull(featureAxis, "featureAxis");
    }

    /** The radial profile sigma of this activation. */
    public abstract IsotropicProfile profile();

    /** The squared intrinsic length o. */
    public double squaredIntrinsicLength() {
        return squaredIntrinsicLength;
    }

    /** The dimension whose vectors the norm is taken over. */
    public FeatureAxis featureAxis() {
        return featureAxis;
    }

    /**
     * A copy of this activation (same class, profile and axis) with another squared intrinsic length, as network
     * surgery needs after removing a constant neuron ({@code o <- o + b*^2}). This instance is not changed.
     *
     * @param squaredIntrinsicLength the new o; finite and &gt;= 0
     * @return the copy
     * @throws IllegalArgumentException if o is negative or not finite
     */
    public IsotropicActivation withSquaredIntrinsicLength(double squaredIntrinsicLength) {
        IntrinsicLength.requireValidSquaredLength(squaredIntrinsicLength);
        try {
            IsotropicActivation copy = (IsotropicActivation) super.clone();
            copy.squaredIntrinsicLength = squaredIntrinsicLength;
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("IsotropicActivation is Cloneable", e);
        }
    }

    /**
     * Applies the activation. As DL4J's {@code IActivation} contract requires, {@code in} is overwritten with the
     * result, which is returned.
     *
     * @param in       pre-activations, rank &gt;= 2, finite. Modified.
     * @param training ignored: the activation is the same in training and inference
     */
    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return kernel().forwardInPlace(in, squaredIntrinsicLength);
    }

    /**
     * The vector-Jacobian product {@code dL/da = s g + 2 s'(q) (a . g) a}.
     *
     * @param in      pre-activations. Overwritten with {@code dL/da}, as DL4J's own activations do.
     * @param epsilon {@code dL/df}, same shape. Not modified.
     * @return {@code dL/da} (the array {@code in}) and {@code null} (this activation has no parameters)
     */
    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        return new Pair<>(kernel().backwardInPlace(in, epsilon, null, squaredIntrinsicLength).input(), null);
    }

    private IsotropicKernel kernel() {
        return new IsotropicKernel(profile(), featureAxis);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || getClass() != o.getClass()) {
            return false;
        }
        IsotropicActivation that = (IsotropicActivation) o;
        return Double.compare(squaredIntrinsicLength, that.squaredIntrinsicLength) == 0
                && featureAxis == that.featureAxis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), squaredIntrinsicLength, featureAxis);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(o=" + squaredIntrinsicLength + ", axis=" + featureAxis + ")";
    }
}
