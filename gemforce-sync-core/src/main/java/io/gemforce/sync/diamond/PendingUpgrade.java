package io.gemforce.sync.diamond;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A time-locked upgrade that was proposed ({@code DiamondCutProposed}) and neither executed (a
 * later {@code DiamondCut}) nor cancelled ({@code DiamondCutCancelled}). Times are the chain's
 * seconds, as emitted.
 */
public record PendingUpgrade(Address proposer, BigInteger proposalTime, BigInteger executionTime,
        long proposedBlock, String proposedTx) {
    public PendingUpgrade {
        Objects.requireNonNull(proposer, "proposer");
        Objects.requireNonNull(proposalTime, "proposalTime");
        Objects.requireNonNull(executionTime, "executionTime");
        Objects.requireNonNull(proposedTx, "proposedTx");
    }
}
