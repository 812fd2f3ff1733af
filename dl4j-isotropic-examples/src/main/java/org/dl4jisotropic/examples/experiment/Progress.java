package org.dl4jisotropic.examples.experiment;

import java.io.PrintStream;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * An experiment's progress bar (the progressbar library, as {@code train} uses): one step per unit of work the
 * experiment names (a training run, an epoch, a network), with the current item as its extra message.
 */
public final class Progress implements AutoCloseable {

    private final ProgressBar bar;

    Progress(String task, long steps, PrintStream console) {
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(console, 100)).setUpdateIntervalMillis(1000)
                .continuousUpdate().build();
    }

    /** Shows what is being done now. */
    public void doing(String item) {
        bar.setExtraMessage(" " + item);
    }

    /** One step done. */
    public void step() {
        bar.step();
    }

    @Override
    public void close() {
        bar.close();
    }
}
