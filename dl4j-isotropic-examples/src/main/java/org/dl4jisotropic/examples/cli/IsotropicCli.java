package org.dl4jisotropic.examples.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code isotropic}: the command-line tool. {@code java -jar dl4j-isotropic-examples/target/isotropic.jar <command>}
 * with commands train, resize, diagonalize, sparsify, inspect and verify; {@code --help} on each.
 *
 * <p>Exit codes: 0 success, 1 a failed check or run, 2 a bad option (the message names it).
 */
@Command(name = "isotropic", mixinStandardHelpOptions = true, version = "dl4j-isotropic 0.1.0",
        description = "Isotropic networks on DL4J: train (optionally with adaptive width), resize, diagonalize, "
                + "sparsify and inspect saved models, and verify the exactness properties on this backend.",
        subcommands = {TrainCommand.class, ResizeCommand.class, DiagonalizeCommand.class, SparsifyCommand.class,
            InspectCommand.class, VerifyCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class IsotropicCli implements Runnable {

    /** Exit code of an invalid option or argument. */
    public static final int BAD_OPTION = 2;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /**
     * Runs the tool.
     *
     * @param args command and options
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs a command with the given output streams (for tests and embedding).
     *
     * @return the exit code
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new IsotropicCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                return BAD_OPTION;
            }
            cmd.getErr().println("error: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return commandLine.execute(args);
    }
}
