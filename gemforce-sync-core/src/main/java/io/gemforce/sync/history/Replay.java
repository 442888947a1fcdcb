package io.gemforce.sync.history;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.DiamondState;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.InvalidCutException;
import io.gemforce.sync.diamond.PendingUpgrade;
import io.gemforce.sync.sink.StoredEvent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stored events of one diamond folded through the engine's rules: {@code DiamondCut} applies
 * its cuts ({@link DiamondState#apply}) and ends any pending proposal, {@code OwnershipTransferred}
 * sets the owner, {@code DiamondCutProposed} opens a pending upgrade, {@code DiamondCutCancelled}
 * ends it. One {@link Step} per block with events: the state at that block's end. Pure.
 */
final class Replay {
    /** The diamond at the end of {@code block}. */
    record Step(long block, DiamondState state, Address owner, PendingUpgrade pending) {
    }

    final List<Step> steps = new ArrayList<>();
    final List<HistoryEntry> entries = new ArrayList<>();
    /** The block of the factory's DiamondCreated, or null. */
    Long createdBlock;
    /** The block of the first stored DiamondCut, or null. */
    Long firstCutBlock;
    /** The first block where the replay failed (a cut that breaks the EIP-2535 rules, unreadable arguments), or null; the states stop there. */
    Long brokenAt;
    String brokenBecause;

    /**
     * @param events the diamond's stored events, ordered
     * @param pendingCuts the cuts of the proposal made in this transaction, if the store knows them
     */
    Replay(Address diamond, List<StoredEvent> events, Map<String, List<FacetCut>> pendingCuts) {
        DiamondState state = DiamondState.empty();
        Address owner = null;
        PendingUpgrade pending = null;
        for (StoredEvent e : events) {
            Map<String, Object> a = e.args();
            HistoryEntry.Kind kind = switch (e.eventType()) {
                case DIAMOND_CREATED -> HistoryEntry.Kind.CREATED;
                case DIAMOND_CUT -> pending != null ? HistoryEntry.Kind.EXECUTED : HistoryEntry.Kind.CUT;
                case OWNERSHIP_TRANSFERRED -> HistoryEntry.Kind.OWNERSHIP_TRANSFERRED;
                case DIAMOND_CUT_PROPOSED -> HistoryEntry.Kind.PROPOSED;
                case DIAMOND_CUT_CANCELLED -> HistoryEntry.Kind.CANCELLED;
            };
            entries.add(new HistoryEntry(kind, e.blockNumber(), e.transactionHash(), e.logIndex(), a));
            if (kind == HistoryEntry.Kind.CREATED && createdBlock == null) {
                createdBlock = e.blockNumber();
            }
            if ((kind == HistoryEntry.Kind.CUT || kind == HistoryEntry.Kind.EXECUTED) && firstCutBlock == null) {
                firstCutBlock = e.blockNumber();
            }
            if (brokenAt != null) {
                continue; // the timeline goes on; the state is no longer known
            }
            try {
                switch (kind) {
                    case CUT, EXECUTED -> {
                        pending = null;
                        state = state.apply(diamond, cuts(a));
                    }
                    case OWNERSHIP_TRANSFERRED -> owner = Address.of((String) a.get("newOwner"));
                    case PROPOSED -> pending = new PendingUpgrade(Address.of((String) a.get("proposer")),
                            new BigInteger(a.get("proposalTime").toString()), new BigInteger(a.get("executionTime").toString()),
                            e.blockNumber(), e.transactionHash(), pendingCuts.getOrDefault(e.transactionHash(), List.of()));
                    case CANCELLED -> pending = null;
                    case CREATED -> { }
                    default -> throw new IllegalStateException(kind.name());
                }
            } catch (InvalidCutException ex) {
                brokenAt = e.blockNumber();
                brokenBecause = "the cut in transaction " + e.transactionHash() + " breaks the EIP-2535 rules: " + ex.getMessage();
                continue;
            } catch (RuntimeException ex) {
                brokenAt = e.blockNumber();
                brokenBecause = "the stored arguments of event " + e.uid() + " cannot be read: " + ex.getMessage();
                continue;
            }
            Step step = new Step(e.blockNumber(), state, owner, pending);
            if (!steps.isEmpty() && steps.get(steps.size() - 1).block() == e.blockNumber()) {
                steps.set(steps.size() - 1, step);
            } else {
                steps.add(step);
            }
        }
    }

    private static List<FacetCut> cuts(Map<String, Object> args) {
        Object list = args.get("diamondCut");
        if (!(list instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().map(o -> FacetCut.fromMap((Map<?, ?>) o)).toList();
    }

    /** The last step at or before {@code block}, or null when the first step is later. */
    Step at(long block) {
        int lo = 0;
        int hi = steps.size() - 1;
        Step found = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Step s = steps.get(mid);
            if (s.block() <= block) {
                found = s;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
