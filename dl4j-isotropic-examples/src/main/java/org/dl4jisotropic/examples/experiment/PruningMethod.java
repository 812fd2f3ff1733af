package org.dl4jisotropic.examples.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ways the pruning experiment removes {@code k} neurons from each hidden layer (last layer first). Every method
 * ends with the neurons physically gone (the network narrower, the optimizer state of the rest carried by
 * {@link NetworkSurgeon}), so that accuracy, parameters and fine-tuning compare like with like.
 */
public enum PruningMethod {
    /** (a) Our neurodegeneration: smallest singular values removed, with the o and psi updates. */
    SINGULAR_VALUES("smallest singular values, o and psi updated (ours)") {
        @Override
        List<SurgeryReport> remove(MultiLayerNetwork net, int[] counts, long seed, INDArray probe) {
            NetworkSurgeon surgeon = new NetworkSurgeon(net).withProbe(probe);
            List<SurgeryReport> reports = new ArrayList<>();
            for (int layer = counts.length - 1; layer >= 0; layer--) {
                reports.add(surgeon.shrink(layer, counts[layer]));
            }
            return reports;
        }
    },
    /** (b) The same removal with the o and psi updates undone: the neurons simply vanish from the diagonal basis. */
    SINGULAR_VALUES_WITHOUT_COMPENSATION("smallest singular values, no o/psi update") {
        @Override
        List<SurgeryReport> remove(MultiLayerNetwork net, int[] counts, long seed, INDArray probe) {
            NetworkSurgeon surgeon = new NetworkSurgeon(net).withProbe(probe);
            List<SurgeryReport> reports = new ArrayList<>();
            for (int layer = counts.length - 1; layer >= 0; layer--) {
                NeuronParameters.Compensation before = NeuronParameters.compensation(net, layer);
                reports.add(surgeon.shrink(layer, counts[layer]));
                NeuronParameters.restore(net, layer, before);
            }
            return reports;
        }
    },
    /** (c) Structured pruning: the neurons whose incoming weights have the smallest L2 norms. */
    WEIGHT_NORM("smallest incoming weight norms") {
        @Override
        int[] chooseNeurons(MultiLayerNetwork net, int layer, int count, Random random) {
            double[] norms = NeuronParameters.incomingNorms(net, layer);
            return IntStream.range(0, norms.length).boxed().sorted(Comparator.comparingDouble(j -> norms[j]))
                    .limit(count).mapToInt(Integer::intValue).toArray();
        }
    },
    /** (d) Random neurons. */
    RANDOM("random neurons") {
        @Override
        int[] chooseNeurons(MultiLayerNetwork net, int layer, int count, Random random) {
            List<Integer> all = new ArrayList<>(IntStream.range(0, Math.toIntExact(
                    NetworkSurgeon.hiddenWidths(net).get(layer))).boxed().toList());
            java.util.Collections.shuffle(all, random);
            return all.subList(0, count).stream().mapToInt(Integer::intValue).toArray();
        }
    };

    private final String description;

    PruningMethod(String description) {
        this.description = description;
    }

    /** What the method removes, for tables. */
    public String description() {
        return description;
    }

    /**
     * Removes {@code counts[l]} neurons from each hidden layer l of {@code net}, in place.
     *
     * <p>The default (for methods that choose neurons by a score): zero the chosen neurons of every layer in the
     * original basis (which is exactly their removal without compensation), then take the now all-zero neurons out
     * with {@link NetworkSurgeon#shrink}: a zero neuron has singular value 0 and bias 0, so that step changes nothing
     * (its measured change is in the reports).
     *
     * @param probe inputs on which each surgery step measures its max logit change
     * @return the surgery reports, last layer first
     */
    List<SurgeryReport> remove(MultiLayerNetwork net, int[] counts, long seed, INDArray probe) {
        Random random = new Random(seed);
        for (int layer = counts.length - 1; layer >= 0; layer--) {
            NeuronParameters.zero(net, layer, chooseNeurons(net, layer, counts[layer], random));
        }
        NetworkSurgeon surgeon = new NetworkSurgeon(net).withProbe(probe);
        List<SurgeryReport> reports = new ArrayList<>();
        for (int layer = counts.length - 1; layer >= 0; layer--) {
            reports.add(surgeon.shrink(layer, counts[layer]));
        }
        return reports;
    }

    /** The neurons (original indices) a score-based method removes; only those methods override this. */
    int[] chooseNeurons(MultiLayerNetwork net, int layer, int count, Random random) {
        throw new UnsupportedOperationException(this + " does not choose neurons by index");
    }

    /** The error bound of a report, or NaN when none is known (the first layer: its input norm is unbounded). */
    static double bound(SurgeryReport report) {
        OptionalDouble bound = report.errorBound();
        return bound.isPresent() ? bound.getAsDouble() : Double.NaN;
    }
}
