package io.gemforce.sync.examples.cli;

import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.chain.web3j.Web3jChainSource;
import io.gemforce.sync.sink.StateSink;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sync-diamond", description = "Sync one diamond (syncDiamondByAddress).")
final class SyncDiamondCommand implements Callable<Integer> {
    @Option(names = "--address", required = true, description = "the diamond's address")
    String address;

    @Option(names = "--network", required = true, description = "network name, alias or chain id")
    String network;

    @Option(names = "--from-block", description = "first block (default: after its last synced block, else its creation)")
    Long fromBlock;

    @Mixin
    SyncOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // every option is validated before a connection is opened
        io.gemforce.sync.network.Networks networks = options.networks(network);
        try (Web3jChainSource chain = options.chain()) {
            StateSink sink = options.sink();
            try {
                SyncSummary s = options.syncer(chain, sink, networks, spec.commandLine().getErr())
                        .syncDiamond(address, network, fromBlock);
                spec.commandLine().getOut().println(s.toJson());
                return GemforceSyncCli.exitCode(s);
            } finally {
                if (sink instanceof AutoCloseable c) {
                    SyncAllCommand.close(c);
                }
            }
        }
    }
}
