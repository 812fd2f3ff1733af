package org.dl4jisotropic.examples.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Runs consecutive grow/shrink rounds on one network and samples memory after each block of rounds, to show that
 * surgery does not leak: neither Java heap nor native (off-heap) memory may climb with the number of rounds.
 *
 * <p>The network is {@code inputs}-{@code width}-10 with an isotropic hidden layer, Adam state included; each round
 * grows the hidden layer by {@code step} scaffold neurons, then removes {@code step} neurons, so the width returns
 * to {@code width}. Samples are taken after a full garbage collection (ND4J frees native buffers when their Java
 * owners are collected): heap in use and the process's resident set (heap + native). ND4J allocates its buffers
 * natively, outside JavaCPP's byte count, so the resident set is the measure of off-heap memory.
 */
public final class MemoryCheck {

    /**
     * One sample.
     *
     * @param round          rounds done
     * @param heapBytes      Java heap in use after GC
     * @param residentBytes  resident set size of the process
     */
    public record Sample(int round, long heapBytes, long residentBytes) {
    }

    private final int inputs;
    private final int width;
    private final int step;

    /**
     * @param inputs features of the network's input
     * @param width  hidden width (restored after every round)
     * @param step   neurons added and then removed per round
     */
    public MemoryCheck(int inputs, int width, int step) {
        if (inputs < 1 || width < 2 || step < 1 || step >= width) {
            throw new IllegalArgumentException("memory check needs inputs >= 1, width >= 2 and 1 <= step < width, "
                    + "found inputs " + inputs + ", width " + width + ", step " + step);
        }
        this.inputs = inputs;
        this.width = width;
        this.step = step;
    }

    /**
     * Runs the rounds.
     *
     * @param rounds      grow/shrink rounds
     * @param sampleEvery rounds between samples (a sample is also taken before the first round)
     * @param log         one line per sample, or null
     * @return the samples, in order
     */
    public List<Sample> run(int rounds, int sampleEvery, PrintWriter log) {
        MultiLayerNetwork net = network();
        NetworkSurgeon surgeon = new NetworkSurgeon(net);
        List<Sample> samples = new ArrayList<>();
        samples.add(sample(0, log));
        for (int round = 1; round <= rounds; round++) {
            surgeon.grow(0, step, round);
            surgeon.shrink(0, step);
            if (net.getLayer(0).getParam("W").columns() != width) {
                throw new IllegalStateException("round " + round + " left width " + net.getLayer(0).getParam("W")
                        .columns() + ", expected " + width);
            }
            if (round % sampleEvery == 0 || round == rounds) {
                samples.add(sample(round, log));
            }
        }
        return samples;
    }

    private MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).updater(new Adam(1e-3)).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(width).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(10).build())
                .setInputType(InputType.feedForward(inputs)).build());
        net.init();
        Nd4j.getRandom().setSeed(5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 64, 10);
        for (int i = 0; i < 64; i++) {
            labels.putScalar(i, i % 10, 1.0);
        }
        net.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 64, inputs), labels));   // non-zero Adam state
        return net;
    }

    private static Sample sample(int round, PrintWriter log) {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);   // ND4J's deallocator thread frees native buffers after collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Runtime runtime = Runtime.getRuntime();
        Sample sample = new Sample(round, runtime.totalMemory() - runtime.freeMemory(), Pointer.physicalBytes());
        if (log != null) {
            log.printf("round %5d: heap %7.1f MB, resident %7.1f MB%n", round, sample.heapBytes() / 1e6,
                    sample.residentBytes() / 1e6);
            log.flush();
        }
        return sample;
    }
}
