package org.dl4jisotropic.examples.train;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.ImageShape;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;

/**
 * The network families the training harness builds ({@code --model}). Each constant says how it reads
 * {@code --hidden} (and its default), which option combinations it refuses, how it builds the network and what its
 * widths are, so another family is one more constant and the run, the report and the plots need no branch.
 */
public enum ModelKind {
    /** The MLP: one hidden layer per {@code --hidden} entry ({@link ModelFactory#mlp}). */
    MLP("mlp", List.of(256, 256)) {
        @Override
        void check(TrainingConfig config) {
            require(config.pooling() == null, "--pooling only applies to --model cnn, found --pooling "
                    + config.pooling() + " with --model mlp");
        }

        @Override
        public MultiLayerNetwork build(TrainingConfig config, int inputs, int classes) {
            return ModelFactory.mlp(config, inputs, classes);
        }

        @Override
        public List<Long> widths(MultiLayerNetwork net) {
            return NetworkSurgeon.hiddenWidths(net);
        }

        @Override
        public boolean surgery(HiddenActivation activation) {
            return activation.isotropic();
        }
    },
    /** The convolutional network of {@link CnnRecipe}: {@code --hidden} lists channels, then the dense width. */
    CNN("cnn", CnnRecipe.DEFAULT_HIDDEN) {
        @Override
        void check(TrainingConfig config) {
            ImageShape image = config.data().image().orElseThrow(() -> new IllegalArgumentException("--model cnn "
                    + "needs image data (--data fashion-mnist or a folder of IDX files), found --data "
                    + config.data()));
            require(!config.adapt() || config.activation().isotropic(), "--adapt resizes isotropic layers only; "
                    + "use an isotropic --activation with --model cnn --adapt, found " + config.activation());
            require(config.pooling().rotationEquivariant() || !config.activation().isotropic(), "--pooling "
                    + config.pooling() + " acts on each channel alone, which breaks the channel rotation symmetry of "
                    + "--activation " + config.activation() + "; use --pooling avg");
            CnnRecipe.check(config.hidden(), image);
        }

        @Override
        Pooling defaultPooling() {
            return Pooling.AVG;
        }

        @Override
        public MultiLayerNetwork build(TrainingConfig config, int inputs, int classes) {
            ImageShape image = config.data().image().orElseThrow();
            if (inputs != image.size()) {
                throw new IllegalArgumentException("--model cnn reads each example as a " + image + " image of "
                        + image.size() + " values, found " + inputs + " features");
            }
            return CnnRecipe.build(config, image, classes);
        }

        /** The channels of each convolution, then the dense width: the {@code nOut} of every layer but pooling. */
        @Override
        public List<Long> widths(MultiLayerNetwork net) {
            List<Long> widths = new ArrayList<>();
            for (int i = 0; i < net.getnLayers() - 1; i++) {
                if (net.getLayer(i).conf().getLayer() instanceof FeedForwardLayer layer) {
                    widths.add(layer.getNOut());
                }
            }
            return widths;
        }

        @Override
        public boolean surgery(HiddenActivation activation) {
            return activation.isotropic();
        }
    };

    private final String label;
    private final List<Integer> defaultHidden;

    ModelKind(String label, List<Integer> defaultHidden) {
        this.label = label;
        this.defaultHidden = List.copyOf(defaultHidden);
    }

    /** The {@code --hidden} value when none is given. */
    public List<Integer> defaultHidden() {
        return defaultHidden;
    }

    /** The {@code --pooling} value when none is given; null for a family without pooling. */
    Pooling defaultPooling() {
        return null;
    }

    /**
     * Refuses the settings this family cannot train, naming the option at fault; called by
     * {@link TrainingConfig.Builder#build()} once every other setting is checked and the defaults are filled in.
     *
     * @throws IllegalArgumentException naming the option and the remedy
     */
    abstract void check(TrainingConfig config);

    /**
     * Builds and initializes the network of a configuration.
     *
     * @param config  the run's configuration, checked
     * @param inputs  features per example
     * @param classes number of classes
     */
    public abstract MultiLayerNetwork build(TrainingConfig config, int inputs, int classes);

    /** The hidden widths of a network of this family, as report.json and the progress table show them. */
    public abstract List<Long> widths(MultiLayerNetwork net);

    /**
     * Whether the network surgery (spectra, resizing, adaptation) applies to this family with this activation: for
     * isotropic activations, dense or convolutional.
     */
    public abstract boolean surgery(HiddenActivation activation);

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The option value, e.g. {@code cnn}: what picocli lists and matches, and what report.json shows. */
    @Override
    public String toString() {
        return label;
    }
}
