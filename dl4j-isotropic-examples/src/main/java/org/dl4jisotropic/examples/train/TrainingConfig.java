package org.dl4jisotropic.examples.train;

import java.util.List;

import org.dl4jisotropic.examples.data.DataSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonInclude;

/**
 * Everything a training run is configured by; written into report.json (every field, under its own name). Built
 * with {@link #builder()}, whose {@link Builder#build()} checks every setting, naming the CLI option at fault, so a
 * configuration that exists is valid (including the task schedule against the data's classes).
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.builder().data("iris").hidden(32, 32).epochs(6)
 *         .updater(Updater.ADAM).activation(HiddenActivation.ISOTROPIC_TANH).adapt(true).build();
 * }</pre>
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class TrainingConfig {

    /**
     * Largest hidden width accepted anywhere (--hidden, --max-width): far above any MLP this harness trains, and
     * low enough that a mistyped width fails at once instead of exhausting memory.
     */
    public static final int WIDTH_LIMIT = 1 << 16;

    private final DataSource data;
    private final ModelKind model;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private final Pooling pooling;
    private final List<Integer> hidden;
    private final int epochs;
    private final int batch;
    private final double learningRate;
    private final Updater updater;
    private final HiddenActivation activation;
    private final boolean adapt;
    private final double tau;
    private final int scaffold;
    private final int minWidth;
    private final int maxWidth;
    private final Precision dtype;
    private final long seed;
    private final String tasks;
    @JsonIgnore
    private final TaskSchedule schedule;
    private final int trainLimit;
    private final int testLimit;

    private TrainingConfig(Builder b) {
        data = b.data != null ? b.data : DataSource.parse("auto");
        require(b.model != null, "--model must be set");
        model = b.model;
        pooling = b.pooling != null ? b.pooling : model.defaultPooling();
        hidden = b.hidden != null ? b.hidden : model.defaultHidden();
        epochs = b.epochs;
        batch = b.batch;
        learningRate = b.learningRate;
        updater = b.updater;
        activation = b.activation;
        adapt = b.adapt;
        tau = b.tau;
        scaffold = b.scaffold;
        minWidth = b.minWidth;
        maxWidth = b.maxWidth;
        dtype = b.dtype;
        seed = b.seed;
        tasks = b.tasks;
        trainLimit = b.trainLimit;
        testLimit = b.testLimit;
        if (hidden.isEmpty() || hidden.stream().anyMatch(w -> w == null || w < 1 || w > WIDTH_LIMIT)) {
            throw new IllegalArgumentException("--hidden must list at least one width in [1, " + WIDTH_LIMIT
                    + "], found " + hidden);
        }
        require(epochs >= 1, "--epochs must be >= 1, found " + epochs);
        require(batch >= 1, "--batch must be >= 1, found " + batch);
        require(learningRate > 0 && Double.isFinite(learningRate), "--lr must be finite and > 0, found "
                + learningRate);
        require(updater != null, "--updater must be set");
        require(activation != null, "--activation must be set");
        require(dtype != null, "--dtype must be set");
        require(!adapt || activation.isotropic(), "--adapt needs --activation isotropic-tanh, found " + activation);
        require(tau > 0 && Double.isFinite(tau), "--tau must be finite and > 0, found " + tau);
        require(scaffold >= 0 && scaffold <= WIDTH_LIMIT, "--scaffold must be in [0, " + WIDTH_LIMIT + "], found "
                + scaffold);
        require(minWidth >= 1 && minWidth <= maxWidth && maxWidth <= WIDTH_LIMIT, "--min-width and --max-width must "
                + "satisfy 1 <= min <= max <= " + WIDTH_LIMIT + ", found " + minWidth + " and " + maxWidth);
        require(trainLimit >= 1, "--train-limit must be >= 1, found " + trainLimit);
        require(testLimit >= 1, "--test-limit must be >= 1, found " + testLimit);
        schedule = TaskSchedule.parse(tasks, data.classes());
        model.check(this);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder with the CLI's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The data, resolved and checked. */
    public DataSource data() {
        return data;
    }

    /** The network family. */
    public ModelKind model() {
        return model;
    }

    /** The pooling of a convolutional network; null for a family without pooling (the MLP). */
    public Pooling pooling() {
        return pooling;
    }

    /** Initial hidden widths, as the {@link #model()} reads them. */
    public List<Integer> hidden() {
        return hidden;
    }

    /** Epochs. */
    public int epochs() {
        return epochs;
    }

    /** Minibatch size. */
    public int batch() {
        return batch;
    }

    /** Learning rate. */
    public double learningRate() {
        return learningRate;
    }

    /** The optimizer. */
    public Updater updater() {
        return updater;
    }

    /** The hidden layers' activation. */
    public HiddenActivation activation() {
        return activation;
    }

    /** Whether the adaptation listener runs (isotropic only). */
    public boolean adapt() {
        return adapt;
    }

    /** Scaffold threshold tau. */
    public double tau() {
        return tau;
    }

    /** Scaffold buffer K. */
    public int scaffold() {
        return scaffold;
    }

    /** Smallest hidden width under adaptation. */
    public int minWidth() {
        return minWidth;
    }

    /** Largest hidden width under adaptation. */
    public int maxWidth() {
        return maxWidth;
    }

    /** The network's floating-point type. */
    public Precision precision() {
        return dtype;
    }

    /** The network's ND4J data type. */
    public DataType dtype() {
        return dtype.dataType();
    }

    /** Seed. */
    public long seed() {
        return seed;
    }

    /** The task schedule as given; blank for none. */
    public String tasks() {
        return tasks;
    }

    /** The task schedule, parsed and checked against the data's classes. */
    public TaskSchedule schedule() {
        return schedule;
    }

    /** Training examples used at most. */
    public int trainLimit() {
        return trainLimit;
    }

    /** Test examples used at most. */
    public int testLimit() {
        return testLimit;
    }

    /** Settings of a {@link TrainingConfig}; defaults are the CLI's. */
    public static final class Builder {
        private DataSource data;
        private ModelKind model = ModelKind.MLP;
        private Pooling pooling;
        private List<Integer> hidden;
        private int epochs = 10;
        private int batch = 128;
        private double learningRate = 1e-3;
        private Updater updater = Updater.ADAM;
        private HiddenActivation activation = HiddenActivation.ISOTROPIC_TANH;
        private boolean adapt;
        private double tau = 0.95;
        private int scaffold = 5;
        private int minWidth = 1;
        private int maxWidth = 4096;
        private Precision dtype = Precision.FLOAT;
        private long seed = 42L;
        private String tasks = "";
        private int trainLimit = 60_000;
        private int testLimit = 10_000;

        private Builder() {
        }

        /** The data. Default {@code auto}. */
        public Builder data(DataSource source) {
            this.data = source;
            return this;
        }

        /** The data as a {@code --data} value. Default {@code auto}. */
        public Builder data(String spec) {
            return data(DataSource.parse(spec));
        }

        /** The network family. Default {@link ModelKind#MLP}. */
        public Builder model(ModelKind model) {
            this.model = model;
            return this;
        }

        /** The pooling of a convolutional network. Default: the model's ({@code avg} for the CNN, none for the MLP). */
        public Builder pooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /** Initial hidden widths. Default: the model's ({@link ModelKind#defaultHidden()}); null for that default. */
        public Builder hidden(List<Integer> widths) {
            this.hidden = widths == null ? null : List.copyOf(widths);
            return this;
        }

        /** Initial hidden widths. Default: the model's. */
        public Builder hidden(int... widths) {
            return hidden(java.util.Arrays.stream(widths).boxed().toList());
        }

        /** Epochs. Default 10. */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Minibatch size. Default 128. */
        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        /** Learning rate. Default 1e-3. */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Optimizer. Default Adam. */
        public Builder updater(Updater updater) {
            this.updater = updater;
            return this;
        }

        /** Hidden activation. Default isotropic tanh. */
        public Builder activation(HiddenActivation activation) {
            this.activation = activation;
            return this;
        }

        /** Whether widths adapt during training. Default false. */
        public Builder adapt(boolean adapt) {
            this.adapt = adapt;
            return this;
        }

        /** Scaffold threshold tau. Default 0.95. */
        public Builder tau(double tau) {
            this.tau = tau;
            return this;
        }

        /** Scaffold buffer K. Default 5. */
        public Builder scaffold(int scaffold) {
            this.scaffold = scaffold;
            return this;
        }

        /** Width bounds under adaptation. Default [1, 4096]. */
        public Builder widthRange(int min, int max) {
            this.minWidth = min;
            this.maxWidth = max;
            return this;
        }

        /** Floating-point type. Default float. */
        public Builder dtype(Precision dtype) {
            this.dtype = dtype;
            return this;
        }

        /** Seed. Default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Task schedule such as {@code 0-4@1,0-9@4} ({@link TaskSchedule}). Default none. */
        public Builder tasks(String tasks) {
            this.tasks = tasks == null ? "" : tasks;
            return this;
        }

        /** Training examples used at most (IDX data). Default 60,000. */
        public Builder trainLimit(int trainLimit) {
            this.trainLimit = trainLimit;
            return this;
        }

        /** Test examples used at most (IDX data). Default 10,000. */
        public Builder testLimit(int testLimit) {
            this.testLimit = testLimit;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException naming the first invalid setting by its CLI option
         */
        public TrainingConfig build() {
            return new TrainingConfig(this);
        }
    }
}
