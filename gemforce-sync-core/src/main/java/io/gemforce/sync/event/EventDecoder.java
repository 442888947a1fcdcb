package io.gemforce.sync.event;

import io.gemforce.sync.internal.abi.AbiReader;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns raw logs into {@link DiamondEvent}s. Logs whose topic0 is not an indexed event decode to
 * empty: a diamond's facets emit many other events (transfers, marketplace...), and they are
 * skipped without error. A log with an indexed topic0 whose topics or data do not decode throws
 * {@link MalformedEventException}.
 *
 * <p>The decoding is strict ABI: every offset and length is bounds-checked before use, padding must
 * be clean, and a cut action must be 0, 1 or 2. It is written against the ABI specification and
 * checked in the tests against hand-assembled vectors and against web3j's encoder and decoder;
 * it does not allocate more than the log's size whatever the data claims, and it is several times
 * faster than reflective decoding, which matters when a sync reads millions of logs.
 *
 * <p>{@code OwnershipTransferred} is accepted with both arguments indexed (ERC-173) and, as some
 * contracts declare it, with neither indexed.
 */
public final class EventDecoder {
    private static final int WORD = 32;
    /** Empty {@code bytes}, one instance for every event without calldata. */
    private static final String EMPTY_BYTES = "0x";
    /** A topic: {@code 0x} and 64 hex digits (compiled once: {@code String.matches} compiles per call). */
    private static final Pattern TOPIC_WORD = Pattern.compile("0x[0-9a-fA-F]{64}");

    private EventDecoder() {
    }

    /**
     * Decodes {@code log}.
     *
     * @return empty when the log is not an indexed event
     * @throws MalformedEventException when it has an indexed event's topic0 but does not decode
     */
    public static Optional<DiamondEvent> decode(RawLog log) {
        EventType type = EventType.byTopic0(log.topic0());
        if (type == null) {
            return Optional.empty();
        }
        LogPosition pos = new LogPosition(log.blockNumber(), log.blockHash(), log.transactionHash(), log.logIndex());
        try {
            return Optional.of(switch (type) {
                case DIAMOND_CUT -> diamondCut(log, pos);
                case OWNERSHIP_TRANSFERRED -> ownership(log, pos);
                case DIAMOND_CUT_PROPOSED -> proposed(log, pos);
                case DIAMOND_CUT_CANCELLED -> cancelled(log, pos);
                case DIAMOND_CREATED -> created(log, pos);
            });
        } catch (MalformedEventException e) {
            throw new MalformedEventException(type.eventName() + " log " + log.transactionHash() + ":" + log.logIndex() + " in block "
                    + log.blockNumber() + " from " + log.address() + " does not decode: " + e.getMessage(), e);
        }
    }

    /** {@code proposeDiamondCut((address,uint8,bytes4[])[],address,bytes)}. */
    public static final String PROPOSE_DIAMOND_CUT = "0xbbf2358e";

    /**
     * The cuts of a {@code proposeDiamondCut} call's input, or empty when the input is another call
     * (a multisig's, say) or does not decode.
     */
    public static Optional<List<FacetCut>> proposedCuts(String input) {
        if (input == null || !input.toLowerCase(java.util.Locale.ROOT).startsWith(PROPOSE_DIAMOND_CUT)) {
            return Optional.empty();
        }
        try {
            return Optional.of(cutArguments(AbiReader.ofHex(input.substring(PROPOSE_DIAMOND_CUT.length()))).cuts);
        } catch (MalformedEventException e) {
            return Optional.empty();
        }
    }

    private record CutArguments(List<FacetCut> cuts, Address init, String calldata) {
    }

    /** {@code (FacetCut[] cuts, address init, bytes calldata)}: DiamondCut's data and proposeDiamondCut's arguments. */
    private static CutArguments cutArguments(AbiReader r) {
        int cutsAt = r.smallUint(0);
        Address init = r.address(WORD);
        int calldataAt = r.smallUint(2 * WORD);
        int n = r.arrayLength(cutsAt, 1);
        long base = cutsAt + WORD;
        List<FacetCut> cuts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long tuple = base + r.smallUint(base + (long) i * WORD);
            Address facet = r.address(tuple);
            int code = r.uint8(tuple + WORD);
            FacetCut.Action action = FacetCut.Action.fromCode(code);
            if (action == null) {
                throw new MalformedEventException("cut " + i + " has action " + code + ", expected 0, 1 or 2");
            }
            cuts.add(new FacetCut(facet, action, r.selectors(tuple + r.smallUint(tuple + 2 * WORD))));
        }
        byte[] calldataBytes = r.bytes(calldataAt);
        String calldata = calldataBytes.length == 0 ? EMPTY_BYTES : "0x" + HexFormat.of().formatHex(calldataBytes);
        return new CutArguments(cuts, init, calldata);
    }

    private static DiamondEvent.DiamondCut diamondCut(RawLog log, LogPosition pos) {
        topicCount(log, 1);
        CutArguments a = cutArguments(AbiReader.ofHex(log.data()));
        return new DiamondEvent.DiamondCut(log.address(), pos, a.cuts(), a.init(), a.calldata());
    }

    private static DiamondEvent.OwnershipTransferred ownership(RawLog log, LogPosition pos) {
        if (log.topics().size() == 3) {
            requireEmptyOrWords(log, 0);
            return new DiamondEvent.OwnershipTransferred(log.address(), pos, topicAddress(log, 1), topicAddress(log, 2));
        }
        if (log.topics().size() == 1) {
            AbiReader r = AbiReader.ofHex(log.data());
            exactWords(r, 2);
            return new DiamondEvent.OwnershipTransferred(log.address(), pos, r.address(0), r.address(WORD));
        }
        throw new MalformedEventException("expected 3 topics (or 1 with both owners in data), got "
                + log.topics().size());
    }

    private static DiamondEvent.DiamondCutProposed proposed(RawLog log, LogPosition pos) {
        topicCount(log, 3);
        AbiReader r = AbiReader.ofHex(log.data());
        exactWords(r, 1);
        return new DiamondEvent.DiamondCutProposed(log.address(), pos, topicAddress(log, 1), topicUint(log, 2),
                r.uint(0));
    }

    private static DiamondEvent.DiamondCutCancelled cancelled(RawLog log, LogPosition pos) {
        topicCount(log, 2);
        requireEmptyOrWords(log, 0);
        return new DiamondEvent.DiamondCutCancelled(log.address(), pos, topicAddress(log, 1));
    }

    private static DiamondEvent.DiamondCreated created(RawLog log, LogPosition pos) {
        topicCount(log, 4);
        AbiReader r = AbiReader.ofHex(log.data());
        long tuple = r.smallUint(0);
        Address owner = r.address(tuple);
        Address factory = r.address(tuple + WORD);
        Address svg = r.address(tuple + 2 * WORD);
        String symbol = r.string(tuple + r.smallUint(tuple + 3 * WORD));
        String name = r.string(tuple + r.smallUint(tuple + 4 * WORD));
        return new DiamondEvent.DiamondCreated(log.address(), pos, topicAddress(log, 1), topicAddress(log, 2),
                topicWord(log, 3), owner, factory, svg, symbol, name);
    }

    private static void topicCount(RawLog log, int n) {
        if (log.topics().size() != n) {
            throw new MalformedEventException("expected " + n + " topics, got " + log.topics().size());
        }
    }

    private static void exactWords(AbiReader r, int words) {
        if (r.length() != words * WORD) {
            throw new MalformedEventException("expected " + words * WORD + " bytes of data, got " + r.length());
        }
    }

    private static void requireEmptyOrWords(RawLog log, int words) {
        exactWords(AbiReader.ofHex(log.data()), words);
    }

    private static String topicWord(RawLog log, int i) {
        String t = log.topics().get(i);
        if (t == null || !TOPIC_WORD.matcher(t).matches()) {
            throw new MalformedEventException("topic " + i + " is not a 32-byte word");
        }
        return EventType.lower(t);
    }

    private static Address topicAddress(RawLog log, int i) {
        String t = topicWord(log, i);
        if (!t.startsWith("0x000000000000000000000000")) {
            throw new MalformedEventException("topic " + i + " is not an address");
        }
        return new Address("0x" + t.substring(26));
    }

    private static BigInteger topicUint(RawLog log, int i) {
        return new BigInteger(topicWord(log, i).substring(2), 16);
    }
}
