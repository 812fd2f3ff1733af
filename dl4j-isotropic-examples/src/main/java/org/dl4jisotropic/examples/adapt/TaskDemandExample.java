package org.dl4jisotropic.examples.adapt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.ClassSubset;
import org.dl4jisotropic.examples.data.FashionMnist;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.dl4jisotropic.layers.conf.IsotropicDenseLayer;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Width follows task demand: an adaptive isotropic MLP trains on Fashion-MNIST classes 0-4, then on all ten classes,
 * then on classes 0-4 again, and reports its hidden widths and its accuracy on the active task after every epoch.
 *
 * <p>Arguments: {@code [epochs per phase (default 5)] [training examples (default 20000)]}. Settings: 784-16-16-10
 * isotropic MLP, Adam(1e-3) with L2 2e-3 on the weights (so that neurons a task no longer needs decay below tau),
 * tau = 0.95, K = 5, widths in [6, 256], the listener every epoch.
 */
public final class TaskDemandExample {

    /** One row of the run's history. */
    public record EpochRecord(int phase, int epoch, List<Long> widths, double activeTaskAccuracy) {
    }

    private TaskDemandExample() {
    }

    /**
     * Runs the three phases.
     *
     * @param data            the dataset
     * @param epochsPerPhase  epochs in each phase
     * @param trainExamples   training examples loaded (before selecting classes)
     * @param seed            seed
     * @return one record per epoch
     * @throws IOException if the data cannot be read
     */
    public static List<EpochRecord> run(FashionMnist data, int epochsPerPhase, int trainExamples, long seed)
            throws IOException {
        DataSet train = data.load(FashionMnist.Split.TRAIN, trainExamples, DataType.FLOAT);
        DataSet test = data.load(FashionMnist.Split.TEST, 10_000, DataType.FLOAT);
        List<Set<Integer>> phases = List.of(range(0, 5), range(0, 10), range(0, 5));
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .updater(new Adam(1e-3)).l2(2e-3).list()
                .layer(new IsotropicDenseLayer.Builder().nOut(16).psiL2(0.1).build())
                .layer(new IsotropicDenseLayer.Builder().nOut(16).psiL2(0.1).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(FashionMnist.CLASSES).build())
                .setInputType(InputType.feedForward(784)).build());
        net.init();
        NeuroadaptationListener listener = NeuroadaptationListener.builder(net).threshold(0.95).scaffoldBuffer(5)
                .widthRange(6, 256).seed(seed).build();
        net.addListeners(listener);
        List<EpochRecord> history = new ArrayList<>();
        for (int phase = 0; phase < phases.size(); phase++) {
            DataSet phaseTrain = ClassSubset.of(train, phases.get(phase));
            DataSet phaseTest = ClassSubset.of(test, phases.get(phase));
            for (int epoch = 0; epoch < epochsPerPhase; epoch++) {
                net.fit(new ViewIterator(phaseTrain, 64));
                List<Long> widths = NetworkSurgeon.hiddenWidths(net);
                double accuracy = net.evaluate(new ViewIterator(phaseTest, 1000)).accuracy();
                history.add(new EpochRecord(phase, epoch, widths, accuracy));
            }
        }
        return history;
    }

    private static Set<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().collect(Collectors.toSet());
    }

    /**
     * Prints the history of a run on Debian's Fashion-MNIST.
     *
     * @param args optional epochs per phase and training examples
     * @throws IOException if the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int examples = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.out.printf("%-6s %-6s %-10s %s%n", "phase", "epoch", "widths", "active-task accuracy");
        for (EpochRecord r : run(new FashionMnist(FashionMnist.DEBIAN_DIRECTORY), epochs, examples, 42L)) {
            System.out.printf("%-6s %-6d %-10s %.2f%%%n", r.phase() == 1 ? "0-9" : "0-4", r.epoch(), r.widths(),
                    100 * r.activeTaskAccuracy());
        }
    }
}
