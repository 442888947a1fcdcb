package io.gemforce.sync.internal.state;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.DiamondRecord;

/** A diamond during a run: its state and the block where that state is true. Mutable; one run's thread. */
public final class DiamondTrack {
    public final Address address;
    /** The state the run started from, to count changed facets. */
    public DiamondState initial = DiamondState.empty();
    public DiamondState state = DiamondState.empty();
    public Address owner;
    public PendingUpgrade pending;
    /** The state is true at this block (events at or below it are already in it). */
    public long validAt = -1;
    public String symbol;
    public String name;
    public Address factory;
    public Long createdBlock;
    public String createdTx;
    public boolean consistent = true;
    /** A cut or creation touched it in this run: it is reconciled at the end. */
    public boolean touched;
    /** A cut broke the EIP-2535 rules: the state is read from the loupe at the range's end. */
    public boolean broken;
    /** This run found the events inconsistent with the chain (an invalid cut or a loupe mismatch). */
    public boolean flagged;
    /** The diamond could not be synced in this run (its base state failed). */
    public boolean failed;
    /** What the store holds for it (last written), or null. */
    public DiamondRecord written;

    public DiamondTrack(Address address) {
        this.address = address;
    }

    /** Takes the stored record's identity (symbol, name, factory, creation, consistency). */
    public void adopt(DiamondRecord r) {
        symbol = r.symbol();
        name = r.name();
        factory = r.factory();
        createdBlock = r.createdBlock();
        createdTx = r.createdTx();
        consistent = r.consistent();
        written = r;
    }

    /** The stored state, true at the record's last synced block. */
    public void resumeFrom(DiamondRecord r) {
        state = r.state();
        owner = r.owner();
        pending = r.pendingUpgrade();
        validAt = r.lastSyncedBlock();
    }

    public DiamondRecord record(Network net, long block, String hash) {
        return new DiamondRecord(net.name(), net.chainId(), address, symbol, name, factory, owner, state.facets(),
                createdBlock, createdTx, block, hash, pending, consistent);
    }
}
