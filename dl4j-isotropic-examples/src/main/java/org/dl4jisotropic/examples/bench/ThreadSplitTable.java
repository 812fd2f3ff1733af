package org.dl4jisotropic.examples.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.dl4jisotropic.core.runtime.NativeThreads;
import org.dl4jisotropic.examples.data.LoadedData;
import org.dl4jisotropic.examples.train.ModelFactory;
import org.nd4j.linalg.dataset.ViewIterator;

/**
 * Seconds per training epoch of the main model (784-256-256-10, batch 128, Adam, float), isotropic and tanh, under
 * several splits of native threads, measured side by side in one process: each round runs every split once, in
 * turn, so drifting machine load affects them alike; the table reports medians. The splits are ND4J's own default
 * (every core to both pools), one thread each, the library's choice ({@link NativeThreads#choose(int)}) and every
 * core to OpenMP with one BLAS thread.
 */
public final class ThreadSplitTable {

    private final PrintWriter log;
    private final int cores;

    /**
     * @param log   progress messages
     * @param cores cores to plan the splits for; &gt;= 1
     */
    public ThreadSplitTable(PrintWriter log, int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, found " + cores);
        }
        this.log = log;
        this.cores = cores;
    }

    /** The splits measured, without repeats (on one core they coincide). */
    public List<NativeThreads.Split> splits() {
        Set<List<Integer>> seen = new LinkedHashSet<>();
        List<NativeThreads.Split> splits = new ArrayList<>();
        NativeThreads.Split library = NativeThreads.choose(cores);
        int[][] counts = {{cores, cores}, {1, 1}, {library.openMpThreads(), library.blasThreads()}, {cores, 1}};
        for (int[] c : counts) {
            if (seen.add(List.of(c[0], c[1]))) {
                boolean isLibrary = c[0] == library.openMpThreads() && c[1] == library.blasThreads();
                splits.add(new NativeThreads.Split(c[0], c[1], isLibrary ? NativeThreads.Source.LIBRARY
                        : NativeThreads.Source.EXPLICIT));
            }
        }
        return splits;
    }

    /**
     * Measures; restores the split in force before it returns.
     *
     * @param data   training data; every epoch fits all of it
     * @param rounds timed rounds, after one warm-up round; &gt;= 1
     * @return one row per split: openMp, blas, whether it is the library's choice, and the median seconds per epoch
     *     of each network, scaled to {@link QuickBench#FULL_EPOCH} examples for Fashion-MNIST
     */
    public List<Map<String, Object>> run(LoadedData data, int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, found " + rounds);
        }
        List<NativeThreads.Split> splits = splits();
        MultiLayerNetwork isotropic = ModelFactory.mlp(BenchmarkNetworks.mlpConfig("isotropic-tanh",
                List.of(256, 256), data.train().numExamples()), data.inputs(), data.classes());
        MultiLayerNetwork tanh = ModelFactory.mlp(BenchmarkNetworks.mlpConfig("tanh", List.of(256, 256),
                data.train().numExamples()), data.inputs(), data.classes());
        double[][][] seconds = new double[splits.size()][2][rounds];
        NativeThreads.Split before = NativeThreads.current();
        try {
            for (int round = -1; round < rounds; round++) {
                log.printf("threads table: round %d of %d%n", round + 2, rounds + 1);
                for (int i = 0; i < splits.size(); i++) {
                    NativeThreads.apply(splits.get(i));
                    double iso = epochSeconds(isotropic, data);
                    double base = epochSeconds(tanh, data);
                    if (round >= 0) {
                        seconds[i][0][round] = iso;
                        seconds[i][1][round] = base;
                    }
                }
            }
        } finally {
            NativeThreads.apply(before);
        }
        int measured = data.train().numExamples();
        double scale = "fashion-mnist".equals(data.name()) ? (double) QuickBench.FULL_EPOCH / measured : 1.0;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < splits.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("openMpThreads", splits.get(i).openMpThreads());
            row.put("blasThreads", splits.get(i).blasThreads());
            row.put("libraryChoice", splits.get(i).source() == NativeThreads.Source.LIBRARY);
            row.put("isotropicEpochSeconds", SideBySide.median(seconds[i][0]) * scale);
            row.put("tanhEpochSeconds", SideBySide.median(seconds[i][1]) * scale);
            rows.add(row);
        }
        return rows;
    }

    private static double epochSeconds(MultiLayerNetwork net, LoadedData data) {
        long start = System.nanoTime();
        net.fit(new ViewIterator(data.train(), 128));
        return (System.nanoTime() - start) / 1e9;
    }
}
