package org.dl4jisotropic.examples.train;

import java.util.Map;
import java.util.stream.Collectors;

import me.tongfei.progressbar.ProgressBar;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jisotropic.layers.adapt.NeuroadaptationListener;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;

/** {@link EpochTrainer} in this JVM: {@code MultiLayerNetwork.fit}, with the adaptation listener attached. */
public final class LocalEpochTrainer implements EpochTrainer {

    private final LossRecorder losses = new LossRecorder();
    private MultiLayerNetwork net;

    @Override
    public void start(MultiLayerNetwork network, NeuroadaptationListener adaptation) {
        this.net = network;
        if (adaptation != null) {
            net.addListeners(adaptation);
        }
        net.addListeners(losses);
    }

    @Override
    public double fitEpoch(DataSet train, int batch, ProgressBar bar) {
        losses.reset();
        net.addListeners(new ProgressListener(bar));
        net.fit(new ViewIterator(train, batch));
        net.setListeners(net.getListeners().stream().filter(l -> !(l instanceof ProgressListener))
                .collect(Collectors.toList()));
        return losses.mean();
    }

    @Override
    public Map<String, Object> sparkReport() {
        return Map.of();
    }

    /** Advances a progress bar by each minibatch's size. */
    private static final class ProgressListener extends BaseTrainingListener {
        private final ProgressBar bar;

        ProgressListener(ProgressBar bar) {
            this.bar = bar;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            bar.stepBy(((MultiLayerNetwork) model).getInput() == null ? 0 : model.batchSize());
        }
    }

    /** Collects minibatch losses of the current epoch. */
    private static final class LossRecorder extends BaseTrainingListener {
        private double sum;
        private int count;

        void reset() {
            sum = 0;
            count = 0;
        }

        double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
            count++;
        }
    }
}
