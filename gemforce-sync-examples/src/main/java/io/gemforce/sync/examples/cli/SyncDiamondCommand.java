package io.gemforce.sync.examples.cli;

import io.gemforce.sync.SyncSummary;
import io.gemforce.sync.diamond.Address;
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

    @Option(names = "--facets", description = "after the summary, print the diamond's facets and functions")
    boolean facets;

    @Mixin
    SyncOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return options.run(network, spec, s -> s.syncDiamond(address, network, fromBlock), SyncSummary::toJson,
                facets ? (sink, chainId) -> sink.diamond(chainId, Address.of(address)).stream().toList() : null);
    }
}
