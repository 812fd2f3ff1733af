package org.dl4jisotropic.examples.adapt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.dl4jisotropic.examples.adapt.TaskDemandExample.EpochRecord;
import org.dl4jisotropic.examples.data.FashionMnist;
import org.junit.jupiter.api.Test;

/** Width follows task demand: it rises when classes 5-9 join and falls when they leave again. */
class TaskDemandTest {

    private static final int EPOCHS = 5;

    private static long totalWidth(List<EpochRecord> history, int phase) {
        EpochRecord last = history.get((phase + 1) * EPOCHS - 1);
        return last.widths().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void widthRisesWhenTheTaskGrowsAndFallsWhenItShrinksWhileTheActiveTaskStaysLearnt() throws IOException {
        List<EpochRecord> history = TaskDemandExample.run(new FashionMnist(FashionMnist.DEBIAN_DIRECTORY), EPOCHS,
                20_000, 42L);

        long fiveClasses = totalWidth(history, 0);
        long tenClasses = totalWidth(history, 1);
        long fiveAgain = totalWidth(history, 2);
        assertTrue(tenClasses > fiveClasses, "width must rise when classes 5-9 join: " + history);
        assertTrue(fiveAgain < tenClasses, "width must fall when classes 5-9 leave: " + history);
        double before = history.get(EPOCHS - 1).activeTaskAccuracy();
        double after = history.get(3 * EPOCHS - 1).activeTaskAccuracy();
        assertTrue(after >= before - 0.01, "accuracy on classes 0-4 must be kept: " + before + " -> " + after);
    }
}
