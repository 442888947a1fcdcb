package io.gemforce.sync.examples.cli;

import io.gemforce.sync.SyncSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "sync-events", description = "Index one diamond's events (syncDiamondEvents); prints {\"eventsIndexed\": n}.")
final class SyncEventsCommand implements Callable<Integer> {
    @Option(names = "--address", required = true, description = "the diamond's address")
    String address;

    @Option(names = "--network", required = true, description = "network name, alias or chain id")
    String network;

    @Option(names = "--event-type", description = "DiamondCut, OwnershipTransferred, DiamondCutProposed, DiamondCutCancelled or DiamondCreated")
    String eventType;

    @Option(names = "--from-block", description = "first block (default: after this scope's checkpoint, else the creation)")
    Long fromBlock;

    @Option(names = "--summary", description = "print the whole summary instead of eventsIndexed")
    boolean summary;

    @Mixin
    SyncOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return options.run(network, spec, s -> s.syncEvents(address, network, eventType, fromBlock), s -> summary ? s.toJson() : "{\"eventsIndexed\":" + s.eventsIndexed() + "}");
    }
}
