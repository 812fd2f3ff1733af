package org.dl4jisotropic.layers.adapt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.IntStream;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.dl4jisotropic.core.adapt.ScaffoldPolicy;
import org.dl4jisotropic.core.surgery.SurgeryReport;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DL4J {@code TrainingListener} that lets the width of an isotropic network follow task demand during the ordinary
 * {@code fit(iterator, epochs)}: on its {@link AdaptationSchedule} it runs one adaptation round (per adapting layer,
 * last layer first: diagonalize, count scaffolds with singular value &lt;= tau, grow or shrink to keep K of them, see
 * {@link ScaffoldPolicy}) and installs it atomically in the same network object, updater state and counters carried.
 *
 * <pre>
 *   NeuroadaptationListener listener = NeuroadaptationListener.builder(net)
 *           .schedule(AdaptationSchedule.everyEpochs(1)).threshold(0.95).scaffoldBuffer(5)
 *           .eventSink(new JsonLinesEventSink(Path.of("events.jsonl"))).build();
 *   net.addListeners(listener);
 *   net.fit(trainIterator, 10);
 * </pre>
 *
 * <p>Invariants: growth never changes the function at the moment of surgery; every round is all-or-nothing; widths
 * stay within each layer's [minWidth, maxWidth] once inside it. The listener keeps no training state of its own:
 * the schedule and each round's seed derive from the network's epoch and iteration counters, so a network saved with
 * ModelSerializer and resumed with an identically built listener adapts exactly as an uninterrupted run.
 *
 * <p>Works with {@code MultiLayerNetwork.fit} and {@code EarlyStoppingTrainer}. It is bound to one network and
 * refuses to act on any other model (a ComputationGraph, or a ParallelWrapper replica, whose resizing DL4J cannot
 * synchronize).
 */
public final class NeuroadaptationListener extends BaseTrainingListener {

    private static final Logger LOG = LoggerFactory.getLogger(NeuroadaptationListener.class);

    private final MultiLayerNetwork net;
    private final AdaptationSchedule schedule;
    private final Map<Integer, ScaffoldPolicy> policies;
    private final boolean resizing;
    private final INDArray probe;
    private final long seed;
    private final List<AdaptationEventSink> sinks;

    private NeuroadaptationListener(Builder builder, Map<Integer, ScaffoldPolicy> policies) {
        this.net = builder.net;
        this.schedule = builder.schedule;
        this.policies = policies;
        this.resizing = builder.resizing;
        this.probe = builder.probe;
        this.seed = builder.seed;
        this.sinks = List.copyOf(builder.sinks);
    }

    /**
     * Starts configuring a listener for a network.
     *
     * @param net an initialized MultiLayerNetwork of isotropic hidden layers; it is validated by {@link Builder#build}
     */
    public static Builder builder(MultiLayerNetwork net) {
        return new Builder(Objects.requireNonNull(net, "net"));
    }

    /** The adapting layers and their policies. */
    public Map<Integer, ScaffoldPolicy> policies() {
        return policies;
    }

    /** The schedule. */
    public AdaptationSchedule schedule() {
        return schedule;
    }

    /** The network this listener is bound to (the same object before and after every round). */
    public MultiLayerNetwork network() {
        return net;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        requireBound(model);
        if (schedule.dueAfterIteration(iteration)) {
            adapt(epoch, iteration);
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        requireBound(model);
        adaptAtEndOfEpoch(net.getEpochCount());
    }

    /**
     * The end-of-epoch step of the schedule, for trainers that fit the bound network outside
     * {@code MultiLayerNetwork.fit} (e.g. on Spark): runs a round if the schedule has one at the end of this epoch.
     *
     * @param epoch zero-based index of the epoch that has just ended (DL4J's epoch count before it is incremented)
     * @return the round's events; empty if no round was due
     */
    public List<AdaptationEvent> adaptAtEndOfEpoch(int epoch) {
        return schedule.dueAtEndOfEpoch(epoch) ? adapt(epoch, net.getIterationCount()) : List.of();
    }

    /** Runs one round now, whatever the schedule; returns its events. */
    public List<AdaptationEvent> adaptNow() {
        return adapt(net.getEpochCount(), net.getIterationCount());
    }

    private List<AdaptationEvent> adapt(int epoch, int iteration) {
        long start = System.nanoTime();
        NetworkSurgeon surgeon = probe == null ? new NetworkSurgeon(net) : new NetworkSurgeon(net).withProbe(probe);
        List<SurgeryReport> reports = resizing
                ? surgeon.adaptWidths(policies, roundSeed(epoch, iteration))
                : monitor(surgeon);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> widths = NetworkSurgeon.hiddenWidths(net);
        List<AdaptationEvent> events = new ArrayList<>();
        for (SurgeryReport report : reports) {
            AdaptationEvent event = new AdaptationEvent(epoch, iteration, report, widths, seconds);
            events.add(event);
            LOG.info("adaptation epoch {} iteration {} layer {}: {} {} (width {} -> {}), bound {}, measured {}",
                    epoch, iteration, report.layer(), report.operation(), report.count(), report.widthBefore(),
                    report.widthAfter(), describe(report.errorBound()), describe(report.maxOutputChange()));
            for (AdaptationEventSink sink : sinks) {
                sink.accept(event);
            }
        }
        return events;
    }

    /** A figure for the log: three significant digits, or "none" (no bound exists, or no probe batch was set). */
    private static String describe(OptionalDouble value) {
        return value.isPresent() ? String.format("%.3g", value.getAsDouble()) : "none";
    }

    private List<SurgeryReport> monitor(NetworkSurgeon surgeon) {
        List<SurgeryReport> reports = new ArrayList<>();
        for (SurgeryReport report : surgeon.diagonalizeAllLeft()) {
            if (policies.containsKey(report.layer())) {
                reports.add(report);
            }
        }
        return reports;
    }

    // Derived from the counters only, so that a resumed run draws the same scaffolds as an uninterrupted one.
    private long roundSeed(int epoch, int iteration) {
        return seed * 1_000_003L + epoch * 65_537L + iteration;
    }

    private void requireBound(Model model) {
        if (model != net) {
            throw new IllegalStateException("NeuroadaptationListener is bound to the MultiLayerNetwork it was built "
                    + "for and was called for another model (" + model.getClass().getSimpleName() + "); ComputationGraphs "
                    + "and ParallelWrapper replicas are not supported: build one listener per network and train that "
                    + "network directly");
        }
    }

    /** Configures a {@link NeuroadaptationListener}; defaults follow the paper's runs. */
    public static final class Builder {

        private final MultiLayerNetwork net;
        private AdaptationSchedule schedule = AdaptationSchedule.everyEpochs(1);
        private double threshold = ScaffoldPolicy.DEFAULT_THRESHOLD;
        private int scaffoldBuffer = ScaffoldPolicy.DEFAULT_SCAFFOLD_BUFFER;
        private int minWidth = 1;
        private int maxWidth = Integer.MAX_VALUE;
        private final Map<Integer, int[]> widthRanges = new HashMap<>();
        private int[] layers;
        private boolean resizing = true;
        private INDArray probe;
        private long seed = 12345L;
        private final List<AdaptationEventSink> sinks = new ArrayList<>();

        private Builder(MultiLayerNetwork net) {
            this.net = net;
        }

        /** When rounds run. Default every epoch. */
        public Builder schedule(AdaptationSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** tau: a neuron with singular value at most this is a scaffold. Default 0.95. */
        public Builder threshold(double tau) {
            this.threshold = tau;
            return this;
        }

        /** K: scaffolds kept per layer. Default 5. */
        public Builder scaffoldBuffer(int k) {
            this.scaffoldBuffer = k;
            return this;
        }

        /** Width bounds of every adapting layer. Default [1, unbounded]. */
        public Builder widthRange(int min, int max) {
            this.minWidth = min;
            this.maxWidth = max;
            return this;
        }

        /** Width bounds of one layer, overriding {@link #widthRange(int, int)}. */
        public Builder widthRange(int layer, int min, int max) {
            widthRanges.put(layer, new int[] {min, max});
            return this;
        }

        /** Which hidden layers adapt. Default: every hidden layer. Each must be an IsotropicDenseLayer with o. */
        public Builder layers(int... layers) {
            this.layers = layers.clone();
            return this;
        }

        /** False: rounds only diagonalize (events report the spectra's effect, widths never change). Default true. */
        public Builder resizing(boolean resizing) {
            this.resizing = resizing;
            return this;
        }

        /** Inputs on which every round measures the max logit change. Default none. */
        public Builder probe(INDArray inputs) {
            this.probe = Objects.requireNonNull(inputs, "inputs").dup();
            return this;
        }

        /** Seed of the scaffolds' outgoing weights. Default 12345. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Receives every event; may be called several times. */
        public Builder eventSink(AdaptationEventSink sink) {
            this.sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** A probe must be a batch the network accepts: checked with one forward pass, before any training. */
        private static void requireProbeFits(MultiLayerNetwork net, INDArray probe) {
            boolean denseInput = net.getLayerWiseConfigurations().getInputPreProcess(0) == null
                    && !(net.getLayerWiseConfigurations().getConf(0).getLayer() instanceof ConvolutionLayer);
            if (denseInput && (probe.rank() != 2 || probe.size(1) != net.layerInputSize(0))) {
                throw new IllegalArgumentException("probe must have shape [mb, " + net.layerInputSize(0) + "], found "
                        + Arrays.toString(probe.shape()));
            }
            try {
                net.output(probe.dup());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("probe of shape " + Arrays.toString(probe.shape()) + " does not fit "
                        + "the network's input: " + e.getMessage(), e);
            }
        }

        /**
         * Validates everything against the network, before any training.
         *
         * @throws IllegalArgumentException for invalid tau, K or widths (naming the setting), a layer index out of
         *     range, a network or layer the surgery does not support, or an updater whose state cannot be carried
         */
        public NeuroadaptationListener build() {
            NetworkSurgeon surgeon = new NetworkSurgeon(net);
            int hidden = NetworkSurgeon.hiddenWidths(net).size();
            int[] adapting = layers != null ? layers : IntStream.range(0, hidden).toArray();
            if (adapting.length == 0) {
                throw new IllegalArgumentException("layers must name at least one hidden layer, found none");
            }
            Map<Integer, ScaffoldPolicy> policies = new LinkedHashMap<>();
            for (int layer : adapting) {
                if (layer < 0 || layer >= hidden) {
                    throw new IllegalArgumentException("adapting layer index must be in [0, " + (hidden - 1)
                            + "], found " + layer);
                }
                int[] range = widthRanges.getOrDefault(layer, new int[] {minWidth, maxWidth});
                policies.put(layer, new ScaffoldPolicy(threshold, scaffoldBuffer, range[0], range[1]));
            }
            for (int layer : widthRanges.keySet()) {
                if (!policies.containsKey(layer)) {
                    throw new IllegalArgumentException("widthRange was set for layer " + layer
                            + ", which does not adapt; adapting layers are " + policies.keySet());
                }
            }
            // A round on every adapting layer must be possible: check it now rather than mid-training.
            surgeon.requireAdaptable(policies.keySet());
            if (probe != null) {
                requireProbeFits(net, probe);
            }
            return new NeuroadaptationListener(this, Map.copyOf(policies));
        }
    }
}
