package io.gemforce.sync.examples.cli;

import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.sink.StateSink;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sync-all", description = "Sync every known diamond of a network (syncAllDiamonds).")
final class SyncAllCommand implements Callable<Integer> {
    @Option(names = "--network", required = true, description = "network name, alias or chain id")
    String network;

    @Option(names = "--from-block", description = "first block (default: after the checkpoint)")
    Long fromBlock;

    @Option(names = "--to-block", description = "last block (default: head minus confirmations)")
    Long toBlock;

    @Option(names = "--reindex-all", description = "delete everything stored for the network first")
    boolean reindexAll;

    @Option(names = "--facets", description = "after the summary, print every stored diamond's facets and functions")
    boolean facets;

    @Mixin
    SyncOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return options.run(network, spec, s -> s.syncAll(network, fromBlock, toBlock, reindexAll), SyncSummary::toJson,
                facets ? StateSink::diamonds : null);
    }
}
