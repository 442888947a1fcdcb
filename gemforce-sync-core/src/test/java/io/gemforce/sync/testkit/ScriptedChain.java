package io.gemforce.sync.testkit;

import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.NotADiamondException;
import io.gemforce.sync.chain.BlockRef;
import io.gemforce.sync.chain.ChainException;
import io.gemforce.sync.chain.ChainSource;
import io.gemforce.sync.chain.LogQuery;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.EventType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.web3j.crypto.Hash;

/**
 * A scriptable in-memory chain for tests: blocks with hashes and parent hashes, logs encoded with
 * web3j (independently of the production decoder), a reference diamond model that answers the
 * loupe at any block, reorgs ({@link #rewindTo} then new blocks with another salt), node limits
 * (block-range and result caps with or without hints) and call counters.
 *
 * <p>Transactions are queued on the pending block by the scenario methods and sealed by
 * {@link #mine()}. Invalid cuts throw, as a reverted transaction would.
 */
public final class ScriptedChain implements ChainSource {
    private final long chainId;
    private final List<Block> blocks = new ArrayList<>();
    private World world = new World();
    private final List<PendingTx> pending = new ArrayList<>();
    private String salt = "main";
    private int addressCounter;
    private long maxBlockRange = Long.MAX_VALUE;
    private long maxResults = Long.MAX_VALUE;
    private boolean hintRanges;
    private long keepState = Long.MAX_VALUE;
    private final Map<String, AtomicInteger> calls = new HashMap<>();
    private final Map<String, String> txInputs = new HashMap<>();
    private final List<LogQuery> logQueries = new ArrayList<>();

    private record PendingTx(List<LogSpec> logs, String input) {
        PendingTx(List<LogSpec> logs) {
            this(logs, "0x");
        }
    }

    private record LogSpec(Address address, List<String> topics, String data) {
    }

    private static final class Block {
        BlockRef ref;
        List<RawLog> logs;
        World world;
    }

    /** Contract code and diamond state, copied per block so the loupe answers at any height. */
    private static final class World {
        final Set<Address> code = new HashSet<>();
        final Map<Address, LinkedHashMap<Selector, Address>> diamonds = new HashMap<>();
        final Map<Address, Address> owners = new HashMap<>();

        World copy() {
            World w = new World();
            w.code.addAll(code);
            diamonds.forEach((k, v) -> w.diamonds.put(k, new LinkedHashMap<>(v)));
            w.owners.putAll(owners);
            return w;
        }
    }

    public ScriptedChain(long chainId) {
        this.chainId = chainId;
        mine(); // genesis
    }

    // ---- scenario ----

    public Address newAddress() {
        return new Address("0x" + Hash.sha3String("addr" + (++addressCounter)).substring(26));
    }

    /** A contract with code that is not a diamond. */
    public Address deployContract() {
        Address a = newAddress();
        world.code.add(a);
        return a;
    }

    public Address deployFactory() {
        return deployContract();
    }

    /** A diamond deployed without a factory (a configured diamond), with an initial cut. */
    public Address deployDiamond(Address owner, List<FacetCut> initial) {
        Address d = newAddress();
        world.code.add(d);
        world.diamonds.put(d, new LinkedHashMap<>());
        List<LogSpec> logs = new ArrayList<>();
        logs.add(cutLog(d, initial));
        logs.add(ownerLog(d, Address.ZERO, owner));
        world.owners.put(d, owner);
        pending.add(new PendingTx(logs));
        return d;
    }

    /** Gemforce creation: DiamondCut, OwnershipTransferred(0, caller), Initialized(1), DiamondCreated. */
    public Address createDiamond(Address factory, Address caller, String symbol, String name, List<FacetCut> initial) {
        Address d = newAddress();
        world.code.add(d);
        world.diamonds.put(d, new LinkedHashMap<>());
        List<LogSpec> logs = new ArrayList<>();
        logs.add(cutLog(d, initial));
        logs.add(ownerLog(d, Address.ZERO, caller));
        world.owners.put(d, caller);
        logs.add(new LogSpec(d, List.of(Hash.sha3String("Initialized(uint64)")), Web3jAbi.words(BigInteger.ONE)));
        String symbolHash = Hash.sha3(Web3jAbi.hex(symbol.getBytes(StandardCharsets.UTF_8)));
        logs.add(new LogSpec(factory, List.of(EventType.DIAMOND_CREATED.topic0(), Web3jAbi.topic(factory),
                Web3jAbi.topic(d), symbolHash),
                Web3jAbi.encodeSettings(Address.of("0x000000000000000000000000000000000000dead"), factory,
                        Address.ZERO, symbol, name)));
        pending.add(new PendingTx(logs));
        return d;
    }

    public ScriptedChain cut(Address diamond, List<FacetCut> cuts) {
        pending.add(new PendingTx(List.of(cutLog(diamond, cuts))));
        return this;
    }

    public ScriptedChain transferOwnership(Address diamond, Address newOwner) {
        Address prev = world.owners.get(diamond);
        world.owners.put(diamond, newOwner);
        pending.add(new PendingTx(List.of(ownerLog(diamond, prev, newOwner))));
        return this;
    }

    public ScriptedChain propose(Address diamond, Address proposer, long proposalTime, long executionTime) {
        return propose(diamond, proposer, proposalTime, executionTime, List.of());
    }

    /** A proposal whose transaction input is {@code proposeDiamondCut(cuts, 0, "")} (none when {@code cuts} is empty). */
    public ScriptedChain propose(Address diamond, Address proposer, long proposalTime, long executionTime,
            List<FacetCut> cuts) {
        String input = cuts.isEmpty() ? "0x" : io.gemforce.sync.event.AbiEncoder.cutCall("proposeDiamondCut", cuts,
                Address.ZERO, new byte[0]);
        pending.add(new PendingTx(List.of(new LogSpec(diamond, List.of(EventType.DIAMOND_CUT_PROPOSED.topic0(),
                Web3jAbi.topic(proposer), "0x" + Web3jAbi.word(BigInteger.valueOf(proposalTime))),
                Web3jAbi.words(BigInteger.valueOf(executionTime)))), input));
        return this;
    }

    public ScriptedChain cancel(Address diamond, Address canceller) {
        pending.add(new PendingTx(List.of(new LogSpec(diamond,
                List.of(EventType.DIAMOND_CUT_CANCELLED.topic0(), Web3jAbi.topic(canceller)), "0x"))));
        return this;
    }

    /** Any log, e.g. a facet's ERC-721 Transfer or a malformed DiamondCut. */
    public ScriptedChain emit(Address from, List<String> topics, String data) {
        pending.add(new PendingTx(List.of(new LogSpec(from, topics, data))));
        return this;
    }

    /** Seals the pending transactions into a new block. */
    public BlockRef mine() {
        Block b = new Block();
        long number = blocks.size();
        String parent = number == 0 ? "0x" + "0".repeat(64) : blocks.get((int) number - 1).ref.hash();
        String hash = Hash.sha3String(salt + ":" + number + ":" + parent);
        b.ref = new BlockRef(number, hash, parent, 1_700_000_000L + number * 2);
        List<RawLog> logs = new ArrayList<>();
        int logIndex = 0;
        int txIndex = 0;
        for (PendingTx tx : pending) {
            String txHash = Hash.sha3String(salt + ":tx:" + number + ":" + txIndex++);
            txInputs.put(txHash, tx.input());
            for (LogSpec l : tx.logs()) {
                logs.add(new RawLog(l.address(), l.topics(), l.data(), number, hash, txHash, logIndex++));
            }
        }
        pending.clear();
        b.logs = logs;
        b.world = world.copy();
        blocks.add(b);
        return b.ref;
    }

    public ScriptedChain mine(int n) {
        for (int i = 0; i < n; i++) {
            mine();
        }
        return this;
    }

    /** Drops every block above {@code number}; later blocks get hashes salted with {@code newSalt}. */
    public ScriptedChain rewindTo(long number, String newSalt) {
        while (blocks.size() - 1 > number) {
            blocks.remove(blocks.size() - 1);
        }
        world = blocks.get(blocks.size() - 1).world.copy();
        pending.clear();
        salt = newSalt;
        return this;
    }

    /** Refuse ranges larger than {@code blocks}; with {@code hint}, say which range would work. */
    public ScriptedChain limitBlockRange(long blocks, boolean hint) {
        this.maxBlockRange = blocks;
        this.hintRanges = hint;
        return this;
    }

    /**
     * Behave as a node that is not an archive node: state ({@code facets}, {@code owner},
     * {@code hasCode}) only for the newest {@code blocks} blocks, {@link ChainException.StateUnavailable}
     * below; logs and headers stay available.
     */
    public ScriptedChain keepStateFor(long blocks) {
        this.keepState = blocks;
        return this;
    }

    /** Refuse queries whose result would exceed {@code results} logs. */
    public ScriptedChain limitResults(long results) {
        this.maxResults = results;
        return this;
    }

    public int calls(String method) {
        AtomicInteger c = calls.get(method);
        return c == null ? 0 : c.get();
    }

    public List<LogQuery> logQueries() {
        return List.copyOf(logQueries);
    }

    public void resetCounters() {
        calls.clear();
        logQueries.clear();
    }

    /** The loupe's view of a diamond now, as selector → facet, for assertions. */
    public Map<Selector, Address> selectorsOf(Address diamond) {
        return Map.copyOf(world.diamonds.get(diamond));
    }

    private LogSpec cutLog(Address diamond, List<FacetCut> cuts) {
        LinkedHashMap<Selector, Address> state = new LinkedHashMap<>(world.diamonds.get(diamond));
        for (FacetCut c : cuts) {
            for (Selector s : c.selectors()) {
                Address cur = state.get(s);
                switch (c.action()) {
                    case ADD -> {
                        if (cur != null) {
                            throw new IllegalStateException("revert: selector exists " + s);
                        }
                        state.put(s, c.facetAddress());
                    }
                    case REPLACE -> {
                        if (cur == null || cur.equals(c.facetAddress())) {
                            throw new IllegalStateException("revert: bad replace " + s);
                        }
                        state.put(s, c.facetAddress());
                    }
                    case REMOVE -> {
                        if (cur == null) {
                            throw new IllegalStateException("revert: remove missing " + s);
                        }
                        state.remove(s);
                    }
                    default -> throw new IllegalStateException();
                }
            }
        }
        world.diamonds.put(diamond, state);
        return new LogSpec(diamond, List.of(EventType.DIAMOND_CUT.topic0()),
                Web3jAbi.encodeDiamondCut(cuts, Address.ZERO, new byte[0]));
    }

    private static LogSpec ownerLog(Address diamond, Address prev, Address next) {
        return new LogSpec(diamond, List.of(EventType.OWNERSHIP_TRANSFERRED.topic0(), Web3jAbi.topic(prev),
                Web3jAbi.topic(next)), "0x");
    }

    // ---- ChainSource ----

    private void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public long chainId() {
        count("eth_chainId");
        return chainId;
    }

    @Override
    public BlockRef head() {
        count("eth_blockNumber");
        return blocks.get(blocks.size() - 1).ref;
    }

    @Override
    public Optional<BlockRef> block(long number) {
        count("eth_getBlockByNumber");
        return number >= 0 && number < blocks.size() ? Optional.of(blocks.get((int) number).ref) : Optional.empty();
    }

    @Override
    public List<RawLog> logs(LogQuery q) {
        count("eth_getLogs");
        logQueries.add(q);
        if (q.blockCount() > maxBlockRange) {
            if (hintRanges) {
                long to = q.fromBlock() + maxBlockRange - 1;
                throw new ChainException.RangeTooLarge("Try with this block range [0x" + Long.toHexString(q.fromBlock())
                        + ", 0x" + Long.toHexString(to) + "].", to);
            }
            throw new ChainException.RangeTooLarge("block range is too wide", -1);
        }
        Set<Address> addresses = new HashSet<>(q.addresses());
        Set<String> topics = new HashSet<>(q.topic0s());
        List<RawLog> out = new ArrayList<>();
        for (long n = q.fromBlock(); n <= q.toBlock() && n < blocks.size(); n++) {
            for (RawLog l : blocks.get((int) n).logs) {
                if (addresses.contains(l.address()) && (topics.isEmpty() || topics.contains(l.topic0()))) {
                    out.add(l);
                }
            }
        }
        if (out.size() > maxResults) {
            throw new ChainException.RangeTooLarge("query returned more than " + maxResults + " results", -1);
        }
        return out;
    }

    private World worldAt(long block) {
        if (block < 0 || block >= blocks.size()) {
            throw new ChainException(ErrorCode.CHAIN_ERROR, "header not found for block " + block);
        }
        if (keepState != Long.MAX_VALUE && block < blocks.size() - keepState) {
            throw new ChainException.StateUnavailable("BlockOutOfRangeError: block " + block
                    + " is pruned; the node is not an archive node");
        }
        return blocks.get((int) block).world;
    }

    @Override
    public List<Facet> facets(Address diamond, long block) {
        count("facets");
        World w = worldAt(block);
        if (!w.code.contains(diamond)) {
            throw new NotADiamondException(ErrorCode.NO_CODE, diamond + " holds no code at block " + block);
        }
        LinkedHashMap<Selector, Address> state = w.diamonds.get(diamond);
        if (state == null) {
            throw new NotADiamondException(ErrorCode.NOT_A_DIAMOND, diamond + " does not answer facets()");
        }
        Map<Address, List<Selector>> grouped = new TreeMap<>();
        state.forEach((s, f) -> grouped.computeIfAbsent(f, k -> new ArrayList<>()).add(s));
        List<Facet> out = new ArrayList<>();
        grouped.forEach((f, s) -> out.add(new Facet(f, s)));
        return out;
    }

    @Override
    public Optional<Address> owner(Address diamond, long block) {
        count("owner");
        return Optional.ofNullable(worldAt(block).owners.get(diamond));
    }

    @Override
    public Optional<String> transactionInput(String transactionHash) {
        count("eth_getTransactionByHash");
        return Optional.ofNullable(txInputs.get(transactionHash));
    }

    @Override
    public boolean hasCode(Address address, long block) {
        count("eth_getCode");
        return worldAt(block).code.contains(address);
    }
}
