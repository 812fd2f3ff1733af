package org.dl4jisotropic.examples.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine a result was measured on: the cores the JVM sees ({@code nproc}), the CPU model and its AVX-512 flags
 * (the {@code grep -o 'avx512[a-z]*' /proc/cpuinfo | sort -u} of the results page), and the date. Read, never
 * configured, so a report says where it really ran.
 *
 * @param cores      processors available to the JVM
 * @param cpuModel   the first "model name" of /proc/cpuinfo, or "unknown"
 * @param avx512     the distinct avx512* flags, sorted; empty without AVX-512 or without /proc/cpuinfo
 * @param date       UTC time the experiment started, to the second (ISO-8601)
 */
public record Machine(int cores, String cpuModel, List<String> avx512, String date) {

    private static final Path CPU_INFO = Paths.get("/proc/cpuinfo");
    private static final Pattern AVX512 = Pattern.compile("avx512[a-z]*");
    private static final Pattern MODEL = Pattern.compile("(?m)^model name\\s*:\\s*(.+)$");

    /** Copies the list. */
    public Machine {
        avx512 = List.copyOf(avx512);
    }

    /** This machine, now. */
    public static Machine current() {
        String info;
        try {
            info = Files.exists(CPU_INFO) ? Files.readString(CPU_INFO) : "";
        } catch (IOException e) {
            info = "";   // a machine without /proc/cpuinfo is reported as unknown, not refused
        }
        return of(info, Runtime.getRuntime().availableProcessors(), Instant.now());
    }

    /** The machine described by a /proc/cpuinfo text (for tests). */
    static Machine of(String cpuInfo, int cores, Instant now) {
        TreeSet<String> flags = new TreeSet<>();
        Matcher m = AVX512.matcher(cpuInfo);
        while (m.find()) {
            flags.add(m.group());
        }
        Matcher model = MODEL.matcher(cpuInfo);
        return new Machine(cores, model.find() ? model.group(1).strip() : "unknown", List.copyOf(flags),
                now.truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** One line for the Markdown: cores, CPU, AVX-512 flags, date. */
    public String describe() {
        return cores + " cores (nproc), " + cpuModel + ", AVX-512 flags: "
                + (avx512.isEmpty() ? "none" : String.join(" ", avx512)) + "; " + date;
    }
}
