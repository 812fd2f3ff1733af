package org.dl4jisotropic.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.train.EpochSummary;
import org.dl4jisotropic.examples.train.TrainingConfig;
import org.dl4jisotropic.examples.train.TrainingRun;
import org.dl4jisotropic.layers.adapt.AdaptationEvent;
import org.dl4jisotropic.layers.surgery.NetworkSurgeon;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;

/**
 * Writes {@code report.json} for a training run: dataset, example counts, the full configuration, one entry per
 * epoch ({@code epoch, widths, trainLoss, testAccuracy, seconds, examplesPerSecond, activeClasses, events}), the final
 * figures, a {@code spark} block when trained on Spark (master, workers, averaging frequency, ...), and provenance
 * (library, DL4J, backend and Java versions).
 */
public final class RunReport {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunReport() {
    }

    /**
     * Builds the report as nested maps and lists (JSON-ready).
     *
     * @param config the configuration
     * @param data   the data
     * @param result the run
     */
    public static Map<String, Object> of(TrainingConfig config, LoadedData data, TrainingRun.Result result) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dataset", data.name());
        report.put("datasetSource", data.source());
        report.put("trainExamples", data.train().numExamples());
        report.put("testExamples", data.test().numExamples());
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("data", config.data());
        configuration.put("hidden", config.hidden());
        configuration.put("epochs", config.epochs());
        configuration.put("batch", config.batch());
        configuration.put("lr", config.learningRate());
        configuration.put("updater", config.updater());
        configuration.put("activation", config.activation());
        configuration.put("adapt", config.adapt());
        configuration.put("tau", config.tau());
        configuration.put("scaffold", config.scaffold());
        configuration.put("minWidth", config.minWidth());
        configuration.put("maxWidth", config.maxWidth());
        configuration.put("dtype", config.dtype().name().toLowerCase());
        configuration.put("seed", config.seed());
        configuration.put("tasks", config.tasks());
        configuration.put("trainLimit", config.trainLimit());
        configuration.put("testLimit", config.testLimit());
        report.put("configuration", configuration);
        List<Map<String, Object>> epochs = new ArrayList<>();
        for (EpochSummary e : result.epochs()) {
            Map<String, Object> epoch = new LinkedHashMap<>();
            epoch.put("epoch", e.epoch());
            epoch.put("widths", e.widths());
            epoch.put("trainLoss", e.trainLoss());
            epoch.put("testAccuracy", e.testAccuracy());
            epoch.put("seconds", e.seconds());
            epoch.put("examplesPerSecond", e.examplesPerSecond());
            epoch.put("activeClasses", e.activeClasses());
            List<Map<String, Object>> events = new ArrayList<>();
            for (AdaptationEvent event : e.events()) {
                events.add(event.toMap());
            }
            epoch.put("events", events);
            epochs.add(epoch);
        }
        report.put("epochs", epochs);
        MultiLayerNetwork net = result.network();
        EpochSummary last = result.epochs().get(result.epochs().size() - 1);
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("testAccuracy", last.testAccuracy());
        fin.put("parameters", net.numParams());
        fin.put("widths", NetworkSurgeon.hiddenWidths(net));
        report.put("final", fin);
        if (!result.spark().isEmpty()) {
            report.put("spark", result.spark());
        }
        report.put("provenance", provenance());
        return report;
    }

    /** Library, DL4J, backend and Java versions. */
    public static Map<String, Object> provenance() {
        Map<String, Object> provenance = new LinkedHashMap<>();
        Package library = RunReport.class.getPackage();
        provenance.put("dl4jIsotropic", library.getImplementationVersion() == null ? "development"
                : library.getImplementationVersion());
        provenance.put("dl4j", "1.0.0-M2.1");
        provenance.put("backend", Nd4j.getBackend().getClass().getSimpleName());
        provenance.put("java", System.getProperty("java.version"));
        provenance.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return provenance;
    }

    /** Writes a map as indented JSON. */
    public static void write(Map<String, Object> report, Path file) throws IOException {
        MAPPER.writeValue(file.toFile(), report);
    }
}
