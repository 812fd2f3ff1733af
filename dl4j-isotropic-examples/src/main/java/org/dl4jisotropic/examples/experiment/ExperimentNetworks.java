package org.dl4jisotropic.examples.experiment;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.train.EpochTrainer;
import org.dl4jisotropic.examples.train.LocalEpochTrainer;
import org.dl4jisotropic.examples.train.ModelFactory;
import org.dl4jisotropic.examples.train.TrainingConfig;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;

/**
 * The networks the experiments train, built and fitted by the training harness ({@link ModelFactory},
 * {@link LocalEpochTrainer}) with its defaults (isotropic tanh layers with psi, Adam 1e-3, batch 128, float32), so
 * that every experiment measures the same networks as {@code isotropic train}.
 */
final class ExperimentNetworks {

    /** Minibatch size of every experiment (the harness default). */
    static final int BATCH = 128;
    /** Test examples evaluated per batch. */
    private static final int EVALUATION_BATCH = 1000;

    private ExperimentNetworks() {
    }

    /** A fresh isotropic MLP with these hidden widths for the context's data. */
    static MultiLayerNetwork mlp(LoadedData data, List<Integer> hidden, long seed) {
        TrainingConfig config = TrainingConfig.builder().hidden(hidden).seed(seed).build();
        return ModelFactory.mlp(config, data.inputs(), data.classes());
    }

    /**
     * An epoch trainer bound to {@code net} (with the adaptation listener, if any); the caller closes it.
     *
     * @param adaptation the listener, built for {@code net}, or null for fixed widths
     */
    static EpochTrainer trainer(MultiLayerNetwork net, NeuroadaptationListener adaptation) {
        EpochTrainer trainer = new LocalEpochTrainer();
        trainer.start(net, adaptation);
        return trainer;
    }

    /** Trains one epoch without a visible bar (the experiment shows its own); returns the mean loss. */
    static double fitEpoch(EpochTrainer trainer, DataSet train) {
        try (ProgressBar silent = new ProgressBarBuilder().setInitialMax(train.numExamples())
                .setConsumer(new ConsoleProgressBarConsumer(new PrintStream(OutputStream.nullOutputStream())))
                .build()) {
            return trainer.fitEpoch(train, BATCH, silent);
        }
    }

    /** Accuracy on a data set. */
    static double accuracy(MultiLayerNetwork net, DataSet test) {
        return net.evaluate(new ViewIterator(test, EVALUATION_BATCH)).accuracy();
    }

    /**
     * The logits (the output layer's pre-softmax values) for some inputs: the last hidden layer's output, scale
     * column included, times the output layer's weights plus its bias. What the surgery reports' measured changes
     * and bounds refer to.
     */
    static INDArray logits(MultiLayerNetwork net, INDArray inputs) {
        int output = net.getnLayers() - 1;
        INDArray hidden = net.feedForwardToLayer(output - 1, inputs, false).get(output);
        Layer layer = net.getLayer(output);
        // dup: ND4J M2.1 can return wrong results from offset parameter views (see COMMON notes)
        return hidden.mmul(layer.getParam("W").dup()).addRowVector(layer.getParam("b").dup());
    }

    /** Max absolute difference between two networks' logits on the same inputs. */
    static double maxLogitChange(MultiLayerNetwork before, MultiLayerNetwork after, INDArray inputs) {
        return logits(before, inputs).sub(logits(after, inputs)).amaxNumber().doubleValue();
    }
}
