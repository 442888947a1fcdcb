package io.gemforce.sync.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.internal.abi.AbiEncoder;
import io.gemforce.sync.event.EventType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Deploys the project's own Gemforce contracts (contracts/artifacts) on an {@link Anvil} and
 * drives them: factory creation, direct cuts, the time-locked propose / execute / cancel flow and
 * ownership transfers. Transactions are sent from Anvil's unlocked accounts.
 */
public final class GemforceContracts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger GAS = BigInteger.valueOf(29_000_000);
    private static final long RECEIPT_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private final Anvil anvil;
    public final String deployer = Anvil.DEPLOYER;
    public Address cutFacet;
    public Address loupeFacet;
    public Address ownershipFacet;
    public Address init;
    public Address factory;
    public Address facetA;
    public Address facetB;
    public Address facetC;
    public long factoryBlock;

    public GemforceContracts(Anvil anvil) {
        this.anvil = anvil;
    }

    /** Deploys the facets, DiamondInit and the factory, and registers the facet set. */
    public GemforceContracts deployAll() {
        cutFacet = deploy("DiamondCutFacet");
        loupeFacet = deploy("DiamondLoupeFacet");
        ownershipFacet = deploy("OwnershipFacet");
        init = deploy("DiamondInit");
        facetA = deploy("TestFacetA");
        facetB = deploy("TestFacetB");
        facetC = deploy("TestFacetC");
        factory = deploy("DiamondFactory");
        factoryBlock = anvil.blockNumber();
        send(deployer, factory, call("setFacets", List.of(w3(cutFacet), w3(loupeFacet), w3(ownershipFacet), w3(init))));
        return this;
    }

    public static JsonNode artifact(String name) {
        Path p = RepoRoot.find().resolve("contracts/artifacts/" + name + ".json");
        try {
            return JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Function selectors of a compiled contract, by signature, in ABI order. */
    public static Map<String, Selector> selectors(String name) {
        Map<String, Selector> out = new LinkedHashMap<>();
        for (JsonNode item : artifact(name).get("abi")) {
            if ("function".equals(item.get("type").asText())) {
                String sig = item.get("name").asText() + "(" + types(item.get("inputs")) + ")";
                out.put(sig, Selector.of(Hash.sha3String(sig).substring(0, 10)));
            }
        }
        return out;
    }

    /** The contract name of each deployed facet. */
    public Map<Address, String> facetNames() {
        Map<Address, String> out = new LinkedHashMap<>();
        out.put(cutFacet, "DiamondCutFacet");
        out.put(loupeFacet, "DiamondLoupeFacet");
        out.put(ownershipFacet, "OwnershipFacet");
        out.put(facetA, "TestFacetA");
        out.put(facetB, "TestFacetB");
        out.put(facetC, "TestFacetC");
        return out;
    }

    private static String types(JsonNode inputs) {
        List<String> t = new ArrayList<>();
        for (JsonNode in : inputs) {
            String type = in.get("type").asText();
            if (type.startsWith("tuple")) {
                t.add("(" + types(in.get("components")) + ")" + type.substring("tuple".length()));
            } else {
                t.add(type);
            }
        }
        return String.join(",", t);
    }

    public Address deploy(String name) {
        String bytecode = artifact(name).get("bytecode").asText();
        TransactionReceipt r = receipt(sendRaw(Transaction.createContractTransaction(deployer, null, null, GAS,
                BigInteger.ZERO, bytecode)));
        return Address.of(r.getContractAddress());
    }

    public TransactionReceipt send(String from, Address to, String data) {
        return receipt(sendRaw(Transaction.createFunctionCallTransaction(from, null, null, GAS, to.hex(), data)));
    }

    /** Like {@link #send} but expects a revert; returns the error message. */
    public String sendExpectingRevert(String from, Address to, String data) {
        try {
            var r = anvil.web3j().ethSendTransaction(Transaction.createFunctionCallTransaction(from, null, null, GAS,
                    to.hex(), data)).send();
            if (r.hasError()) {
                return r.getError().getMessage();
            }
            try {
                receipt(r.getTransactionHash());
            } catch (IllegalStateException reverted) {
                return "reverted";
            }
            throw new AssertionError("expected a revert");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String sendRaw(Transaction tx) {
        try {
            var r = anvil.web3j().ethSendTransaction(tx).send();
            if (r.hasError()) {
                throw new IllegalStateException("transaction failed: " + r.getError().getMessage());
            }
            return r.getTransactionHash();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TransactionReceipt receipt(String hash) {
        try {
            // automine answers at once; with --block-time the transaction waits for the next block
            Optional<TransactionReceipt> found = Optional.empty();
            long deadline = System.nanoTime() + RECEIPT_WAIT_NANOS;
            while (found.isEmpty()) {
                found = anvil.web3j().ethGetTransactionReceipt(hash).send().getTransactionReceipt();
                if (found.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                    Thread.sleep(10);
                }
            }
            TransactionReceipt r = found.orElseThrow(() -> new IllegalStateException("no receipt for " + hash));
            if (!r.isStatusOK()) {
                throw new IllegalStateException("transaction " + hash + " reverted");
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("rawtypes")
    public static String call(String name, List<Type> args) {
        return AbiEncoder.call(name, args);
    }

    static org.web3j.abi.datatypes.Address w3(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    /** {@code factory.create(settings)} from {@code from}; returns the new diamond (from DiamondCreated). */
    public Address createDiamond(String from, String symbol, String name) {
        Type<?> settings = AbiEncoder.settings(Address.of("0x000000000000000000000000000000000000dead"), factory,
                Address.ZERO, symbol, name);
        TransactionReceipt r = send(from, factory, call("create", List.of(settings)));
        for (Log l : r.getLogs()) {
            if (l.getTopics().get(0).equalsIgnoreCase(EventType.DIAMOND_CREATED.topic0())) {
                return Address.of("0x" + l.getTopics().get(2).substring(26).toLowerCase());
            }
        }
        throw new IllegalStateException("no DiamondCreated in the creation receipt");
    }

    public TransactionReceipt diamondCut(String from, Address diamond, List<FacetCut> c) {
        return send(from, diamond, AbiEncoder.cutCall("diamondCut", c, Address.ZERO, new byte[0]));
    }

    public TransactionReceipt propose(String from, Address diamond, List<FacetCut> c) {
        return send(from, diamond, AbiEncoder.cutCall("proposeDiamondCut", c, Address.ZERO, new byte[0]));
    }

    public TransactionReceipt execute(String from, Address diamond) {
        return send(from, diamond, call("executeDiamondCut", List.of()));
    }

    public TransactionReceipt cancel(String from, Address diamond) {
        return send(from, diamond, call("cancelDiamondCut", List.of()));
    }

    public TransactionReceipt transferOwnership(String from, Address diamond, String to) {
        return send(from, diamond, call("transferOwnership", List.of(new org.web3j.abi.datatypes.Address(to))));
    }
}
