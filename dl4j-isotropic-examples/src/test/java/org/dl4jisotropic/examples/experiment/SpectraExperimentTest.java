package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;

/** {@code experiment spectra --quick}: one spectrum per layer and epoch, each a valid singular spectrum. */
class SpectraExperimentTest {

    /** Quick mode: two epochs, two hidden layers. */
    private static final int QUICK_EPOCHS = 2;
    private static final int HIDDEN_LAYERS = 2;

    @TempDir
    static Path out;

    private static QuickExperiment run;

    @BeforeAll
    static void runQuick() throws IOException {
        run = QuickExperiment.run(ExperimentName.SPECTRA, out);
    }

    @Test
    void writesTheReportTheMarkdownAndOnePlotPerLayer() throws IOException {
        run.assertFilesWritten(ExperimentName.SPECTRA, HIDDEN_LAYERS);
    }

    @Test
    void recordsTheInitialSpectraAndThoseAfterEveryEpoch() {
        JsonNode epochs = run.data().get("epochs");
        assertEquals(QUICK_EPOCHS + 1, epochs.size());
        for (int e = 0; e < epochs.size(); e++) {
            assertEquals(e, epochs.get(e).get("epoch").asInt());
            assertEquals(HIDDEN_LAYERS, epochs.get(e).get("spectra").size());
        }
    }

    @Test
    void everySpectrumHasOneValuePerNeuronDescendingAndNonNegative() {
        for (JsonNode epoch : run.data().get("epochs")) {
            for (int l = 0; l < HIDDEN_LAYERS; l++) {
                JsonNode spectrum = epoch.get("spectra").get(l);
                assertEquals(epoch.get("widths").get(l).asInt(), spectrum.size(), "one value per neuron");
                for (int i = 0; i < spectrum.size(); i++) {
                    assertTrue(spectrum.get(i).asDouble() >= 0, epoch.toString());
                    assertTrue(i == 0 || spectrum.get(i).asDouble() <= spectrum.get(i - 1).asDouble(),
                            "descending at " + i + ": " + spectrum);
                }
            }
        }
    }

    @Test
    void theInitialOrthogonalLayersHaveEverySingularValueOne() {
        // The harness's orthogonal initialization: all singular values 1 (the method notes), to float precision.
        for (JsonNode spectrum : run.data().get("epochs").get(0).get("spectra")) {
            for (JsonNode value : spectrum) {
                assertEquals(1.0, value.asDouble(), 1e-5);
            }
        }
    }
}
