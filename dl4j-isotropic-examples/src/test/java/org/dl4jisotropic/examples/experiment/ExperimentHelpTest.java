package org.dl4jisotropic.examples.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.dl4jisotropic.examples.cli.IsotropicCli;
import org.junit.jupiter.api.Test;

/** {@code isotropic experiment --help} names every experiment, as the user types it. */
class ExperimentHelpTest {

    /** The option values by hand, so that renaming one is a visible change of the command line. */
    private static final String[] NAMES = {"width-sweep", "pruning", "neuroabundance", "sparsification-depth",
        "spectra"};

    @Test
    void helpListsEveryExperimentName() {
        StringWriter out = new StringWriter();
        int code = IsotropicCli.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "experiment", "--help");
        assertEquals(0, code);
        for (String name : NAMES) {
            assertTrue(out.toString().contains(name), name + " in " + out);
        }
        assertEquals(NAMES.length, ExperimentName.values().length, "one name per experiment");
    }
}
