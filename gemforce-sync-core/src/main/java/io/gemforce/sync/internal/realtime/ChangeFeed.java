package io.gemforce.sync.internal.realtime;

import io.gemforce.sync.event.DiamondEvent;
import io.gemforce.sync.follow.DiamondChange;
import io.gemforce.sync.internal.state.Applied;
import io.gemforce.sync.network.Network;
import java.util.ArrayList;
import java.util.List;

/** Committed events as the changes a listener hears (pure). */
final class ChangeFeed {
    private ChangeFeed() {
    }

    static List<DiamondChange> changes(Network net, List<Applied> applied) {
        List<DiamondChange> out = new ArrayList<>(applied.size() + 1);
        for (Applied a : applied) {
            DiamondEvent e = a.event();
            var p = e.position();
            var at = new DiamondChange.Origin(net.name(), net.chainId(), p.blockNumber(), p.blockHash(),
                    p.transactionHash(), p.logIndex());
            if (e instanceof DiamondEvent.DiamondCreated c) {
                out.add(new DiamondChange.DiamondCreated(at, c.createdDiamond(), c.emitter(), c.symbol(), c.name()));
            } else if (e instanceof DiamondEvent.DiamondCut c) {
                if (a.executedPending()) {
                    out.add(new DiamondChange.UpgradeExecuted(at, c.emitter(), c.cuts()));
                }
                out.add(new DiamondChange.FacetsChanged(at, c.emitter(), c.cuts(), c.init(), c.calldata()));
            } else if (e instanceof DiamondEvent.OwnershipTransferred o) {
                out.add(new DiamondChange.OwnershipChanged(at, o.emitter(), o.previousOwner(), o.newOwner()));
            } else if (e instanceof DiamondEvent.DiamondCutProposed pr) {
                out.add(new DiamondChange.UpgradeProposed(at, pr.emitter(), pr.proposer(), pr.proposalTime(),
                        pr.executionTime(), a.proposed() == null ? List.of() : a.proposed().proposedCuts()));
            } else if (e instanceof DiamondEvent.DiamondCutCancelled c) {
                out.add(new DiamondChange.UpgradeCancelled(at, c.emitter(), c.canceller()));
            }
        }
        return out;
    }
}
