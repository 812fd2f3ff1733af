package org.dl4jisotropic.core.surgery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.dl4jisotropic.core.activation.FeatureAxis;
import org.dl4jisotropic.core.activation.IsotropicForward;
import org.dl4jisotropic.core.activation.IsotropicKernel;
import org.dl4jisotropic.core.linalg.Scratch;
import org.dl4jisotropic.core.linalg.SvdCheck;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A chain of linear layers, hidden isotropic layers followed by one output layer: the object that network surgery
 * rewrites. It is a working copy, independent of any DL4J network. Layers are fully connected, or convolutions seen as
 * matrices ({@link LinearBlock}: each input neuron enters a layer through {@code multiplicity} rows).
 *
 * <pre>
 *   a_0 = x W_0 + b_0,     a_l = y_{l-1} W_l + b_l + s_{l-1} psi_l     y_l = s_l a_l     logits = a_{L-1}
 * </pre>
 * (psi_l only where layer l-1 emits its scale). The basic move is {@link #rotate}: for orthogonal R on the neurons of
 * hidden layer l, {@code W_l <- W_l R, b_l <- b_l R, psi_l <- psi_l R, W_{l+1} <- (R (x) I_k)^T W_{l+1}} leaves the
 * function unchanged because the activation only sees norms (for a convolution: the norm over channels at each
 * position, which every kernel tap and every position sees through the same R).
 */
public final class IsotropicStack {

    /** The largest accepted {@code max|R^T R - I|} of a DOUBLE rotation. */
    public static final double DOUBLE_ROTATION_TOLERANCE = 1e-10;

    /** The largest accepted {@code max|R^T R - I|} of a FLOAT rotation. */
    public static final double FLOAT_ROTATION_TOLERANCE = 1e-5;

    private final List<LinearBlock> layers;

    /**
     * Adopts a chain of layers.
     *
     * @param layers hidden layers then exactly one output layer, with matching widths
     * @throws IllegalArgumentException if the chain is inconsistent (naming the layer and both sizes)
     */
    public IsotropicStack(List<LinearBlock> layers) {
        if (layers.size() < 2) {
            throw new IllegalArgumentException("an isotropic stack needs at least one hidden and one output layer, "
                    + "found " + layers.size() + " layers");
        }
        for (int i = 0; i < layers.size(); i++) {
            LinearBlock layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            if (layer.isHidden() == last) {
                throw new IllegalArgumentException("layer " + i + " must be " + (last ? "the output layer" : "hidden")
                        + ", found " + (layer.isHidden() ? "a hidden layer" : "an output layer"));
            }
            if (i > 0) {
                LinearBlock previous = layers.get(i - 1);
                if (layer.inputs() != previous.width()) {
                    throw new IllegalArgumentException("layer " + i + " must take " + previous.width()
                            + " inputs (the width of layer " + (i - 1) + "), found " + layer.inputs());
                }
                if (layer.psi().isPresent() != previous.emitsScale()) {
                    throw new IllegalArgumentException("layer " + i + " must " + (previous.emitsScale() ? "" : "not ")
                            + "have psi, because layer " + (i - 1) + (previous.emitsScale() ? " emits" : " does not emit")
                            + " its scale");
                }
            } else if (layer.psi().isPresent()) {
                throw new IllegalArgumentException("layer 0 must not have psi: nothing before it emits a scale");
            }
        }
        this.layers = new ArrayList<>(layers);
    }

    /**
     * Frees the native memory of every parameter and state array now, rather than at the next garbage collection.
     * For working copies only: the stack must not be used afterwards.
     */
    public void release() {
        for (LinearBlock block : layers) {
            block.weights().release();
            block.bias().release();
            block.psi().ifPresent(TrackedParameter::release);
        }
    }

    /** All layers, hidden then output. */
    public List<LinearBlock> layers() {
        return List.copyOf(layers);
    }

    /** Layer {@code index}. */
    public LinearBlock layer(int index) {
        return layers.get(index);
    }

    /** Number of hidden layers. */
    public int hiddenLayers() {
        return layers.size() - 1;
    }

    /** Widths of the hidden layers. */
    public long[] widths() {
        long[] widths = new long[hiddenLayers()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = layers.get(i).width();
        }
        return widths;
    }

    /**
     * Checks that {@code index} names a hidden layer.
     *
     * @throws IllegalArgumentException naming the valid range
     */
    public void requireHidden(int index) {
        if (index < 0 || index >= hiddenLayers()) {
            throw new IllegalArgumentException("hidden layer index must be in [0, " + (hiddenLayers() - 1)
                    + "], found " + index);
        }
    }

    /**
     * Changes the basis of hidden layer {@code index} by an orthogonal matrix; the function is unchanged.
     *
     * <p>Every rotation of every operation passes through here, so this is where orthogonality is enforced, whatever
     * computed the matrix: {@code max|R^T R - I|} must be at most {@value #DOUBLE_ROTATION_TOLERANCE} for a DOUBLE
     * rotation and {@value #FLOAT_ROTATION_TOLERANCE} for a FLOAT one (orthogonal only to float precision).
     *
     * @param index hidden layer
     * @param r     orthogonal {@code [n, n]} with n the layer's width, FLOAT or DOUBLE. Not modified.
     * @throws IllegalArgumentException        if the index or the shape is wrong
     * @throws NonOrthogonalRotationException if R is not orthogonal to its dtype's tolerance; nothing is changed
     */
    public void rotate(int index, INDArray r) {
        requireHidden(index);
        LinearBlock layer = layers.get(index);
        if (r.rank() != 2 || r.rows() != layer.width() || r.columns() != layer.width()) {
            throw new IllegalArgumentException("rotation of layer " + index + " must be [" + layer.width() + ", "
                    + layer.width() + "], found " + Arrays.toString(r.shape()));
        }
        double tolerance = r.dataType() == DataType.DOUBLE ? DOUBLE_ROTATION_TOLERANCE : FLOAT_ROTATION_TOLERANCE;
        double deviation = SvdCheck.deviationFromOrthogonal(r);
        if (!(deviation <= tolerance)) {
            throw new NonOrthogonalRotationException(index, deviation, tolerance, r.dataType());
        }
        INDArray rotation = r.castTo(layer.weights().value().dataType());
        layer.weights().rotateColumns(rotation);
        layer.bias().rotateColumns(rotation);
        layer.psi().ifPresent(p -> p.rotateColumns(rotation));
        LinearBlock next = layers.get(index + 1);
        next.weights().rotateRows(rotation, next.multiplicity());
        if (rotation != r) {
            Scratch.release(rotation);
        }
    }

    /** Whether every layer is fully connected (input multiplicity 1), so that {@link #logits} can evaluate it. */
    public boolean isFullyConnected() {
        return layers.stream().allMatch(layer -> layer.multiplicity() == 1);
    }

    /**
     * Evaluates the network's logits (the output layer's pre-activation).
     *
     * @param x inputs {@code [mb, fanIn of layer 0]}. Not modified.
     * @return logits {@code [mb, nOut]}
     * @throws UnsupportedOperationException if a layer is convolutional (see {@link #isFullyConnected()}): evaluate
     *     the network it was read from instead
     */
    public INDArray logits(INDArray x) {
        if (!isFullyConnected()) {
            throw new UnsupportedOperationException("a stack with convolutional layers cannot evaluate itself; "
                    + "evaluate the network it describes");
        }
        INDArray y = x.castTo(layers.get(0).weights().value().dataType());
        INDArray scale = null;
        for (LinearBlock layer : layers) {
            INDArray a = y.mmul(layer.weights().value()).addiRowVector(layer.bias().value());
            if (layer.psi().isPresent()) {
                a.addi(scale.mmul(layer.psi().get().value()));
            }
            if (!layer.isHidden()) {
                return a;
            }
            IsotropicForward forward = new IsotropicKernel(layer.profile().orElseThrow(), FeatureAxis.CHANNELS_FIRST)
                    .forward(a, layer.squaredLength());
            y = forward.output();
            scale = forward.scale();
        }
        throw new IllegalStateException("a stack always ends with its output layer");
    }
}
