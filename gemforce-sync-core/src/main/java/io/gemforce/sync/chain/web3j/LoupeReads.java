package io.gemforce.sync.chain.web3j;

import com.fasterxml.jackson.databind.JsonNode;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.SyncException;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.LoupeAnswer;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.internal.abi.LoupeAbi;
import io.gemforce.sync.event.MalformedEventException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the loupe calls' answers mean, shared by the single calls ({@code facets()}, {@code owner()},
 * {@code hasCode()}) and the batched {@code loupe()}, so that both classify every answer the same
 * way: a revert or an empty answer of {@code facets()} needs {@code eth_getCode} to tell
 * {@link ErrorCode#NO_CODE} from {@link ErrorCode#NOT_A_DIAMOND}; pruned state is
 * {@link ChainException.StateUnavailable}; a revert of {@code owner()} is "no owner".
 */
final class LoupeReads {
    static final String FACETS = "0x7a0ed627";
    static final String OWNER = "0x8da5cb5b";

    private LoupeReads() {
    }

    /**
     * A {@code facets()} answer before any code check: the facets, the diamond's own failure, or
     * neither (then the code decides, see {@link #noLoupe}).
     */
    record FacetsStep(List<Facet> facets, SyncException failure, boolean reverted) {
        boolean needsCode() {
            return facets == null && failure == null;
        }

        /** The facets, or the typed failure; with neither, {@code hasCode} (one more call) decides which. */
        List<Facet> orThrow(Address diamond, long block, java.util.function.BooleanSupplier hasCode) {
            if (facets != null) {
                return facets;
            }
            if (failure != null) {
                throw failure;
            }
            throw noLoupe(diamond, block, hasCode.getAsBoolean(), reverted);
        }
    }

    /**
     * Reads a {@code facets()} answer ({@code value} or {@code error}).
     *
     * @throws ChainException for a node error that is neither a revert nor pruned state
     */
    static FacetsStep facets(RpcTransport t, Address diamond, long block, String value, RpcError error) {
        if (error != null) {
            if (RpcErrors.isRevert(error.message())) {
                return new FacetsStep(null, null, true);
            }
            ChainException f = t.failure("eth_call facets() of " + diamond, error, block);
            if (f instanceof ChainException.StateUnavailable) {
                return new FacetsStep(null, f, false);
            }
            throw f;
        }
        if (value == null || value.equals("0x") || value.isEmpty()) {
            return new FacetsStep(null, null, false);
        }
        try {
            return new FacetsStep(LoupeAbi.decodeFacets(value), null, false);
        } catch (MalformedEventException e) {
            return new FacetsStep(null, new NotADiamondException(ErrorCode.NOT_A_DIAMOND, diamond + " answered facets() "
                    + "with data that is not a list of facets at block " + block + ": " + e.getMessage(), e), false);
        }
    }

    /** Why a diamond whose {@code facets()} reverted or answered nothing is not one. */
    static NotADiamondException noLoupe(Address diamond, long block, boolean hasCode, boolean reverted) {
        if (!hasCode) {
            return new NotADiamondException(ErrorCode.NO_CODE, diamond + " holds no code at block " + block
                    + ": not a contract");
        }
        return new NotADiamondException(ErrorCode.NOT_A_DIAMOND, diamond + " is a contract but not an EIP-2535 "
                + "diamond: facets() " + (reverted ? "reverted" : "returned nothing") + " at block " + block);
    }

    /**
     * Reads an {@code owner()} answer: empty when it reverts or answers no address.
     *
     * @throws ChainException for any other node error (pruned state included)
     */
    static Optional<Address> owner(RpcTransport t, Address diamond, long block, String value, RpcError error) {
        if (error != null) {
            if (RpcErrors.isRevert(error.message())) {
                return Optional.empty();
            }
            throw t.failure("eth_call owner() of " + diamond, error, block);
        }
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LoupeAbi.decodeAddress(value));
        } catch (MalformedEventException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads an {@code eth_getCode} answer.
     *
     * @throws ChainException for a node error (pruned state included)
     */
    static boolean hasCode(RpcTransport t, Address address, long block, String code, RpcError error) {
        if (error != null) {
            throw t.failure("eth_getCode of " + address, error, block);
        }
        return code != null && !code.equals("0x") && !code.isEmpty();
    }

    /** {@code facets()} and {@code owner()} of several diamonds in one batch, then their code in a second one if needed. */
    static List<LoupeAnswer> loupe(RpcTransport t, RpcBatch batch, List<Address> diamonds, long block) {
        String tag = Web3jChainSource.quantity(block);
        List<RpcBatch.Call> calls = new ArrayList<>(diamonds.size() * 2);
        for (Address d : diamonds) {
            calls.add(new RpcBatch.Call("eth_call", List.of(Map.of("to", d.hex(), "data", FACETS), tag)));
            calls.add(new RpcBatch.Call("eth_call", List.of(Map.of("to", d.hex(), "data", OWNER), tag)));
        }
        List<RpcBatch.Answer> answers = batch.send(calls);
        FacetsStep[] steps = new FacetsStep[diamonds.size()];
        SyncException[] failures = new SyncException[diamonds.size()];
        List<Integer> needCode = new ArrayList<>();
        for (int i = 0; i < diamonds.size(); i++) {
            RpcBatch.Answer a = answers.get(2 * i);
            steps[i] = facets(t, diamonds.get(i), block, text(a.result()), a.error());
            failures[i] = steps[i].failure();
            if (steps[i].needsCode()) {
                needCode.add(i);
            }
        }
        if (!needCode.isEmpty()) {
            List<RpcBatch.Call> codeCalls = new ArrayList<>(needCode.size());
            for (int i : needCode) {
                codeCalls.add(new RpcBatch.Call("eth_getCode", List.of(diamonds.get(i).hex(), tag)));
            }
            List<RpcBatch.Answer> codes = batch.send(codeCalls);
            for (int k = 0; k < needCode.size(); k++) {
                int i = needCode.get(k);
                RpcBatch.Answer a = codes.get(k);
                try {
                    boolean code = hasCode(t, diamonds.get(i), block, text(a.result()), a.error());
                    failures[i] = noLoupe(diamonds.get(i), block, code, steps[i].reverted());
                } catch (ChainException.StateUnavailable e) {
                    failures[i] = e;
                }
            }
        }
        List<LoupeAnswer> out = new ArrayList<>(diamonds.size());
        for (int i = 0; i < diamonds.size(); i++) {
            Address d = diamonds.get(i);
            if (failures[i] != null) {
                out.add(LoupeAnswer.failed(d, block, failures[i]));
                continue;
            }
            RpcBatch.Answer a = answers.get(2 * i + 1);
            try {
                out.add(LoupeAnswer.of(d, block, steps[i].facets(), owner(t, d, block, text(a.result()), a.error())));
            } catch (ChainException.StateUnavailable e) {
                out.add(LoupeAnswer.failed(d, block, e));
            }
        }
        return out;
    }

    private static String text(JsonNode result) {
        return result == null || result.isNull() ? null : result.asText();
    }
}
