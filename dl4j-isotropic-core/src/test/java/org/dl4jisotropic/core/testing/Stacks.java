package org.dl4jisotropic.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.dl4jisotropic.core.activation.IntrinsicLength;
import org.dl4jisotropic.core.activation.IsotropicProfile;
import org.dl4jisotropic.core.surgery.LinearBlock;
import org.dl4jisotropic.core.surgery.IsotropicStack;
import org.dl4jisotropic.core.surgery.MomentKind;
import org.dl4jisotropic.core.surgery.TrackedParameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Seeded random isotropic stacks for surgery tests: every hidden layer emits its scale, every later layer has psi. */
public final class Stacks {

    private Stacks() {
    }

    /**
     * A random stack with Adam-like state (a LINEAR and a SQUARED moment) on every parameter.
     *
     * @param seed   seed
     * @param type   dtype
     * @param widths input width, hidden widths..., output width
     */
    public static IsotropicStack random(long seed, DataType type, int... widths) {
        List<LinearBlock> layers = new ArrayList<>();
        for (int i = 1; i < widths.length; i++) {
            long s = seed + 100L * i;
            TrackedParameter w = tracked(TestArrays.gaussian(s, type, widths[i - 1], widths[i])
                    .muli(1.0 / Math.sqrt(widths[i - 1])), s);
            TrackedParameter b = tracked(TestArrays.gaussian(s + 1, type, 1, widths[i]).muli(0.3), s + 1);
            Optional<TrackedParameter> psi = i == 1 ? Optional.empty()
                    : Optional.of(tracked(TestArrays.gaussian(s + 2, type, 1, widths[i]).muli(0.3), s + 2));
            boolean output = i == widths.length - 1;
            layers.add(output ? LinearBlock.output(w, b, psi)
                    : LinearBlock.hidden(w, b, psi, IsotropicProfile.TANH, IntrinsicLength.constant(0.1), true));
        }
        return new IsotropicStack(layers);
    }

    private static TrackedParameter tracked(INDArray value, long seed) {
        INDArray m = TestArrays.gaussian(seed + 7, value.dataType(), value.shape()).muli(0.01);
        INDArray v = Transforms.abs(TestArrays.gaussian(seed + 8, value.dataType(), value.shape()), false).muli(1e-4);
        return new TrackedParameter(value, List.of(MomentKind.LINEAR, MomentKind.SQUARED), List.of(m, v));
    }

    /**
     * Makes neuron {@code neuron} of hidden layer {@code layer} a constant: zero incoming weights and psi entry, so its
     * pre-activation is its bias.
     */
    public static void makeConstant(IsotropicStack stack, int layer, int neuron) {
        LinearBlock block = stack.layer(layer);
        INDArray w = block.weights().value().dup();
        w.get(NDArrayIndex.all(), NDArrayIndex.point(neuron)).assign(0.0);
        block.weights().setValue(w);
        block.psi().ifPresent(p -> {
            INDArray value = p.value().dup();
            value.putScalar(0, neuron, 0.0);
            p.setValue(value);
        });
        INDArray b = block.bias().value().dup();
        b.putScalar(0, neuron, 0.7);
        block.bias().setValue(b);
    }
}
