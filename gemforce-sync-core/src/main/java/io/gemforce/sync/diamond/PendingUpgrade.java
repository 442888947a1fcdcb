package io.gemforce.sync.diamond;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A time-locked upgrade that was proposed ({@code DiamondCutProposed}) and neither executed (a
 * later {@code DiamondCut}) nor cancelled ({@code DiamondCutCancelled}). Times are the chain's
 * seconds, as emitted. Jackson writes the same JSON as {@link #toMap()} (times as decimal strings)
 * and reads it back.
 *
 * @param proposedCuts what the upgrade will do, decoded from the proposing transaction's
 *     {@code proposeDiamondCut} input; empty when that transaction did not call it directly (a
 *     multisig or another contract in between)
 */
public record PendingUpgrade(Address proposer, @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger proposalTime,
        @JsonFormat(shape = JsonFormat.Shape.STRING) BigInteger executionTime,
        long proposedBlock, String proposedTx, List<FacetCut> proposedCuts) {
    public PendingUpgrade {
        Objects.requireNonNull(proposer, "proposer");
        Objects.requireNonNull(proposalTime, "proposalTime");
        Objects.requireNonNull(executionTime, "executionTime");
        Objects.requireNonNull(proposedTx, "proposedTx");
        proposedCuts = List.copyOf(proposedCuts);
    }

    /** The JSON object stores keep: numbers above 2^53 as decimal strings, cuts as {@link FacetCut#toMap()}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proposer", proposer.hex());
        m.put("proposalTime", proposalTime.toString());
        m.put("executionTime", executionTime.toString());
        m.put("proposedBlock", proposedBlock);
        m.put("proposedTx", proposedTx);
        m.put("proposedCuts", proposedCuts.stream().map(FacetCut::toMap).toList());
        return m;
    }

    /** The inverse of {@link #toMap()}; a map without {@code proposedCuts} (older rows) reads as none known. */
    public static PendingUpgrade fromMap(Map<?, ?> m) {
        Object cuts = m.get("proposedCuts");
        List<FacetCut> proposed = cuts instanceof List<?> l
                ? l.stream().map(o -> FacetCut.fromMap((Map<?, ?>) o)).toList() : List.of();
        return new PendingUpgrade(Address.of((String) m.get("proposer")), new BigInteger(m.get("proposalTime").toString()),
                new BigInteger(m.get("executionTime").toString()), ((Number) m.get("proposedBlock")).longValue(),
                (String) m.get("proposedTx"), proposed);
    }
}
