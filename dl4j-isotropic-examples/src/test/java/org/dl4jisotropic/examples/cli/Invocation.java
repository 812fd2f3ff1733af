package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the {@code isotropic} command line, with what it printed.
 *
 * @param exitCode the exit code ({@code 0} success, {@code 1} a failed check, {@code 2} a bad option)
 * @param out      standard output
 * @param err      standard error
 */
record Invocation(int exitCode, String out, String err) {

    /** Runs the command line with these arguments. */
    static Invocation of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = IsotropicCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Invocation(code, out.toString(), err.toString());
    }
}
