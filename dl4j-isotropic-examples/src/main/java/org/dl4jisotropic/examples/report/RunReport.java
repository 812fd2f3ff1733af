package org.dl4jisotropic.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.train.EpochSummary;
import org.dl4jisotropic.examples.train.TrainingConfig;
import org.dl4jisotropic.examples.train.TrainingRun;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.nd4j.shade.jackson.annotation.JsonInclude;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * {@code report.json} of a training run, written by Jackson (the copy ND4J ships, {@code org.nd4j.shade.jackson})
 * from the records themselves: no field is listed by hand. It holds the dataset, example counts, the full
 * {@link TrainingConfig}, one {@link EpochSummary} per epoch (with its {@link AdaptationEvent}s), the final figures,
 * a {@code spark} block when trained on Spark, and the {@link Provenance}.
 *
 * @param dataset        "fashion-mnist", "iris" or the folder read
 * @param datasetSource  which data was used and why
 * @param trainExamples  training examples
 * @param testExamples   test examples
 * @param configuration  every setting of the run
 * @param epochs         one entry per epoch
 * @param fin            the final figures ({@code final} in JSON)
 * @param spark          master, workers, averaging frequency, ... when trained on Spark; omitted when empty
 * @param versions       library, DL4J, ND4J, backend, Java and OS versions ({@code provenance} in JSON)
 */
public record RunReport(String dataset, String datasetSource, int trainExamples, int testExamples,
                        TrainingConfig configuration, List<EpochSummary> epochs, @JsonProperty("final") Final fin,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> spark,
                        @JsonProperty("provenance") Provenance versions) {

    /** Enums as their option values (adam, isotropic-tanh, float); events as {@link AdaptationEvent} defines. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING).registerModule(AdaptationEvent.jsonModule());

    /**
     * The figures at the end of the run.
     *
     * @param testAccuracy accuracy of the last epoch
     * @param parameters   parameters of the final network
     * @param widths       final hidden widths
     */
    public record Final(double testAccuracy, long parameters, List<Long> widths) {
    }

    /**
     * The report of a run.
     *
     * @param config the configuration
     * @param data   the data
     * @param result the run
     */
    public static RunReport of(TrainingConfig config, LoadedData data, TrainingRun.Result result) {
        MultiLayerNetwork net = result.network();
        EpochSummary last = result.epochs().get(result.epochs().size() - 1);
        return new RunReport(data.name(), data.source(), data.train().numExamples(), data.test().numExamples(),
                config, result.epochs(), new Final(last.testAccuracy(), net.numParams(),
                config.model().widths(net)), result.spark(), Provenance.current());
    }

    /** The versions of this run's software (see {@link Provenance#current()}). */
    public static Provenance provenance() {
        return Provenance.current();
    }

    /** Writes this report as indented JSON. */
    public void write(Path file) throws IOException {
        write(this, file);
    }

    /** Writes any report (a record, or a map such as the benchmarks') as indented JSON. */
    public static void write(Object report, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), report);
    }
}
