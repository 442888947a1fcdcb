package io.gemforce.sync.internal.reconcile;

import io.gemforce.sync.SyncError;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.internal.state.DiamondTrack;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.DiamondRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Compares the state derived from events with the loupe at the last synced block (one batch for
 * every diamond the run touched). On-chain truth wins: a mismatch stores the loupe's answer, flags
 * the diamond inconsistent and is reported as {@code STATE_MISMATCH}. A diamond whose state the node
 * no longer holds at that block is reported as {@code NOT_RECONCILED}; the run goes on.
 */
public final class Reconciler {
    private final ChainSource chain;
    private final Network net;

    public Reconciler(ChainSource chain, Network net) {
        this.chain = chain;
        this.net = net;
    }

    /**
     * @param tracks the diamonds to compare (their state must be true at {@code block})
     * @param fallbackHash the hash of {@code block}, for records not written at that block
     * @return the change set with the corrected records, empty when nothing changed
     */
    public ChangeSet reconcile(List<DiamondTrack> tracks, long block, String fallbackHash, List<SyncError> errors) {
        List<DiamondRecord> fixes = new ArrayList<>();
        if (tracks.isEmpty()) {
            return new ChangeSet(net.name(), net.chainId(), List.of(), fixes, List.of());
        }
        List<Address> list = tracks.stream().map(t -> t.address).toList();
        List<LoupeAnswer> answers;
        try {
            answers = chain.loupe(list, block);
        } catch (SyncException e) {
            answers = list.stream().map(a -> LoupeAnswer.failed(a, block, e)).toList();
        }
        for (int i = 0; i < tracks.size(); i++) {
            DiamondTrack t = tracks.get(i);
            LoupeAnswer a = answers.get(i);
            if (!a.ok()) {
                if (a.failure() instanceof ChainException.StateUnavailable) {
                    errors.add(new SyncError(SyncError.NOT_RECONCILED, t.address.hex(), block,
                            "not compared with the loupe: " + a.failure().getMessage()));
                } else {
                    errors.add(SyncError.of(a.failure(), t.address.hex(), block));
                }
                continue;
            }
            Optional<Address> owner = a.owner();
            boolean facetsMatch = t.state.sameFacetsAs(a.facets());
            boolean ownerMatches = owner.isEmpty() || owner.get().equals(t.owner);
            if (!facetsMatch || !ownerMatches) {
                String what = !facetsMatch ? "facets derived from events differ from the loupe's facets()"
                        : "owner derived from events differs from owner()";
                errors.add(new SyncError(SyncError.STATE_MISMATCH, t.address.hex(), block,
                        what + " at block " + block + "; stored the chain's answer"));
                t.state = DiamondState.of(a.facets());
                owner.ifPresent(o -> t.owner = o);
                t.consistent = false;
                t.flagged = true;
            } else if (!t.flagged) {
                t.consistent = true;
            }
            // the written record's hash only when it is at this block: a record another run stored at
            // another block (a concurrent run, an earlier toBlock) must not lend its hash to this one
            boolean writtenHere = t.written != null && t.written.lastSyncedBlock() == block;
            DiamondRecord r = t.record(net, block, writtenHere ? t.written.lastSyncedBlockHash() : fallbackHash);
            if (!r.equals(t.written)) {
                fixes.add(r);
                t.written = r;
            }
        }
        return new ChangeSet(net.name(), net.chainId(), List.of(), fixes, List.of());
    }
}
