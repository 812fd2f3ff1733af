package org.dl4jisotropic.examples.experiment;

/**
 * One claim an experiment tests, with whether it held on this run and the numbers that decided it.
 *
 * @param statement what is claimed, in one sentence
 * @param held      whether the measured numbers satisfy it
 * @param evidence  the numbers, in words
 */
public record Claim(String statement, boolean held, String evidence) {

    /** "held" or "not held", as the Markdown shows it. */
    public String verdict() {
        return held ? "held" : "not held";
    }
}
