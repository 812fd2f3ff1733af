package org.dl4jisotropic.examples.experiment;

import java.io.PrintStream;
import java.nio.file.Path;

import org.dl4jisotropic.examples.data.LoadedData;

/**
 * What an experiment runs with.
 *
 * @param scale   seeds, epochs and data sizes in force
 * @param quick   whether this is the tiny CI version (experiments pick their quick widths and depths)
 * @param seed    the first seed; repetition i uses {@code seed + i}
 * @param data    the loaded data
 * @param out     the output folder, existing; plots are written here
 * @param console where progress bars go (never results)
 */
public record ExperimentContext(Scale scale, boolean quick, long seed, LoadedData data, Path out,
                               PrintStream console) {

    /** A progress bar of {@code steps} steps for this context's console. */
    public Progress progress(String task, long steps) {
        return new Progress(task, steps, console);
    }
}
