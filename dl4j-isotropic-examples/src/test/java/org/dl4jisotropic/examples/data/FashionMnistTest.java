package org.dl4jisotropic.examples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/** Needs Debian's dataset-fashion-mnist package, which .ci/run installs. */
class FashionMnistTest {

    @Test
    void theDebianPackageIsInstalled() {
        assertTrue(FashionMnist.isInstalled(),
                "Fashion-MNIST is missing: run 'apt-get install dataset-fashion-mnist' (as .ci/run does)");
    }

    @Test
    void trainingSetHasSixtyThousandImagesWithZeroMeanUnitVariancePixels() throws IOException {
        DataSet train = new FashionMnist(FashionMnist.DEBIAN_DIRECTORY).load(FashionMnist.Split.TRAIN, 60_000,
                DataType.DOUBLE);

        assertEquals(60_000, train.numExamples());
        assertEquals(784, train.getFeatures().size(1));
        assertEquals(0.0, train.getFeatures().meanNumber().doubleValue(), 1e-6);
        assertEquals(1.0, train.getFeatures().stdNumber().doubleValue(), 1e-5);
        assertEquals(6_000.0, train.getLabels().sum(0).getDouble(3), 0.0, "every class has 6,000 images");
    }

    @Test
    void testSetHasTenThousandImages() throws IOException {
        DataSet test = new FashionMnist(FashionMnist.DEBIAN_DIRECTORY).load(FashionMnist.Split.TEST, 20_000,
                DataType.FLOAT);
        assertEquals(10_000, test.numExamples());
        assertEquals(10_000.0, test.getLabels().sumNumber().doubleValue(), 0.0);
    }

    @Test
    void aFolderWithoutTheFilesIsRejectedWithTheInstallCommand(@TempDir Path empty) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FashionMnist(empty));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte") && e.getMessage().contains("apt-get install "
                + "dataset-fashion-mnist"), e.getMessage());
    }
}
