package org.dl4jisotropic.examples.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which classes are active at which epoch: {@code "0-4@1,0-9@4,5-9@8"} trains classes 0-4 from epoch 1, all ten
 * from epoch 4 and classes 5-9 from epoch 8 (epochs count from 1). The empty schedule keeps every class active.
 *
 * @param phases phases in order of their starting epoch
 */
public record TaskSchedule(List<Phase> phases) {

    /**
     * One phase: from {@code startEpoch} on, train and evaluate on {@code classes}.
     *
     * @param startEpoch first epoch of the phase, from 1
     * @param classes    the active classes
     */
    public record Phase(int startEpoch, Set<Integer> classes) {
        /** Copies the set. */
        public Phase {
            classes = Set.copyOf(classes);
        }
    }

    /** Copies the list. */
    public TaskSchedule {
        phases = List.copyOf(phases);
    }

    /** Every class, always. */
    public static TaskSchedule allClasses() {
        return new TaskSchedule(List.of());
    }

    /**
     * Parses a schedule.
     *
     * @param spec    comma-separated {@code from-to@epoch} (or {@code class@epoch}) entries; blank for none
     * @param classes number of classes in the dataset
     * @throws IllegalArgumentException naming the malformed entry
     */
    public static TaskSchedule parse(String spec, int classes) {
        if (spec == null || spec.isBlank()) {
            return allClasses();
        }
        List<Phase> phases = new ArrayList<>();
        int previousStart = 0;
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split("@");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--tasks entry must look like 0-4@1, found \"" + entry + "\"");
            }
            int start;
            int from;
            int to;
            try {
                start = Integer.parseInt(parts[1].trim());
                String[] range = parts[0].trim().split("-", -1);
                from = Integer.parseInt(range[0].trim());
                to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
                if (range.length > 2) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--tasks entry must be from-to@epoch with 0 <= from <= to < "
                        + classes + ", found \"" + entry + "\"");
            }
            // The range is checked before the set is filled: an unchecked 0-2147483647 would never finish.
            if (from > to || from < 0 || to >= classes) {
                throw new IllegalArgumentException("--tasks entry must be from-to@epoch with 0 <= from <= to < "
                        + classes + ", found \"" + entry + "\"");
            }
            Set<Integer> set = new TreeSet<>();
            for (int c = from; c <= to; c++) {
                set.add(c);
            }
            if (start <= previousStart) {
                throw new IllegalArgumentException("--tasks epochs must start at 1 or later and increase, found \""
                        + entry + "\" after epoch " + previousStart);
            }
            previousStart = start;
            phases.add(new Phase(start, set));
        }
        return new TaskSchedule(phases);
    }

    /**
     * The classes active in an epoch.
     *
     * @param epoch epoch from 1
     * @return the active classes, or empty when every class is (no schedule, or before its first phase)
     */
    public Set<Integer> activeClasses(int epoch) {
        Set<Integer> active = Set.of();
        for (Phase phase : phases) {
            if (phase.startEpoch() <= epoch) {
                active = phase.classes();
            }
        }
        return active;
    }
}
