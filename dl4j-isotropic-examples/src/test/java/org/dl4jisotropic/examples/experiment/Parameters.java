package org.dl4jisotropic.examples.experiment;

import java.util.List;

/**
 * Hand-derived parameter counts of the harness's isotropic MLPs (an independent oracle: written from the layer
 * layout, not computed by the code under test). A first hidden layer of width w on d inputs: {@code d w} weights,
 * {@code w} biases, one lambda. Every later hidden layer of width w after width v: {@code v w} weights, {@code w} psi,
 * {@code w} biases, one lambda. The softmax output after width v: {@code (v + 1) c} weights (the last row is psi) and
 * {@code c} biases.
 */
final class Parameters {

    /** Fashion-MNIST inputs and classes. */
    static final int PIXELS = 784;
    static final int CLASSES = 10;

    private Parameters() {
    }

    /** Parameters of a 784-w0-w1-...-10 isotropic MLP. */
    static long mlp(List<Long> widths) {
        long total = PIXELS * widths.get(0) + widths.get(0) + 1;
        for (int l = 1; l < widths.size(); l++) {
            total += widths.get(l - 1) * widths.get(l) + 2 * widths.get(l) + 1;
        }
        long last = widths.get(widths.size() - 1);
        return total + (last + 1) * CLASSES + CLASSES;
    }
}
