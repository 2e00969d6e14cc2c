package io.npusim.cli;

import io.npusim.cli.cmd.CompareCommand;
import io.npusim.cli.cmd.ExplainCommand;
import io.npusim.cli.cmd.ModelsCommand;
import io.npusim.cli.cmd.RunCommand;
import io.npusim.cli.cmd.ScenariosCommand;
import io.npusim.cli.cmd.ValidateCommand;
import io.npusim.core.UserError;
import io.npusim.system.result.SummaryBuilder;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The npusim command line. Exit codes: 0 success, 2 a user error (one line saying what and where),
 * 1 an internal error.
 */
@Command(name = "npusim", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Full-system simulator of the RK3588 NPU under the rocket, rknpu and proposed kernel policies.",
        subcommands = {RunCommand.class, CompareCommand.class, ExplainCommand.class, ValidateCommand.class, ModelsCommand.class, ScenariosCommand.class,
                io.npusim.cli.cmd.ReplayCommand.class, io.npusim.cli.cmd.TraceCommand.class,
                io.npusim.cli.cmd.VerdictsCommand.class, io.npusim.cli.cmd.AblationCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int USER_ERROR = 2;
    public static final int INTERNAL_ERROR = 1;

    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"npusim " + SummaryBuilder.VERSION};
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("npusim: " + ex.getMessage() + " (see npusim " + commandPath(ex.getCommandLine()) + "--help)");
            err.flush();
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            Throwable t = ex;
            if (t instanceof UserError u) {
                err.println("npusim: " + u.getMessage());
                err.flush();
                return USER_ERROR;
            }
            err.println("npusim: internal error: " + t);
            t.printStackTrace(err);
            err.flush();
            return INTERNAL_ERROR;
        });
        return cl.execute(args);
    }

    private static String commandPath(CommandLine c) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine p = c; p != null && p.getParent() != null; p = p.getParent()) sb.insert(0, p.getCommandName() + " ");
        return sb.toString();
    }
}
