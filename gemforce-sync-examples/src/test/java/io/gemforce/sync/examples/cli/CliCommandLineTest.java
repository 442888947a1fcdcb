package io.gemforce.sync.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line a run gets: the named subcommand only, or the whole command. */
class CliCommandLineTest {

    @Test
    void aRunThatNamesItsSubcommandGetsThatOneOnly() {
        CommandLine cl = GemforceSyncCli.commandLine("sync-all", "--network", "localhost");
        assertThat(cl.getSubcommands().keySet()).containsExactly("sync-all");
        assertThat(cl.getCommandName()).isEqualTo("gemforce-sync");
        // its usage reads as it does under the whole command
        StringWriter usage = new StringWriter();
        cl.getSubcommands().get("sync-all").usage(new PrintWriter(usage));
        StringWriter whole = new StringWriter();
        new CommandLine(new GemforceSyncCli()).getSubcommands().get("sync-all").usage(new PrintWriter(whole));
        assertThat(usage.toString()).startsWith("Usage: gemforce-sync sync-all ").isEqualTo(whole.toString());
    }

    @Test
    void everyDeclaredSubcommandIsFoundByItsName() {
        for (String name : new CommandLine(new GemforceSyncCli()).getSubcommands().keySet()) {
            assertThat(GemforceSyncCli.commandLine(name).getSubcommands().keySet()).as(name).containsExactly(name);
        }
    }

    @Test
    void noArgumentsAnOptionFirstOrAnUnknownWordGetTheWholeCommand() {
        int all = new CommandLine(new GemforceSyncCli()).getSubcommands().size();
        assertThat(all).isGreaterThan(5);
        assertThat(GemforceSyncCli.commandLine().getSubcommands()).hasSize(all);
        assertThat(GemforceSyncCli.commandLine("--version").getSubcommands()).hasSize(all);
        assertThat(GemforceSyncCli.commandLine("nope", "sync-all").getSubcommands()).hasSize(all);
        assertThat(GemforceSyncCli.run("nope")).isEqualTo(2);
    }
}
