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
 * A chain in memory that a test scripts block by block: the {@link ChainSource} to give a
 * {@link io.gemforce.sync.DiamondSyncer} when a test needs no node (the role Kafka's
 * {@code TopologyTestDriver} plays for a topology). It answers exactly what a JSON-RPC node would
 * answer the syncer, from a reference model of the Gemforce contracts of its own, independent of the
 * engine's.
 *
 * <h2>Blocks and transactions</h2>
 * <ul>
 *   <li>The constructor mines block 0 (genesis, no logs): {@link #head()} is block 0 until the
 *       first {@link #mine()}.</li>
 *   <li>The scenario methods ({@link #createDiamond}, {@link #deployDiamond}, {@link #cut},
 *       {@link #transferOwnership}, {@link #propose}, {@link #cancel}, {@link #emit}) each queue one
 *       transaction on the pending block; nothing is visible through the {@code ChainSource}
 *       methods until {@link #mine()} seals the pending transactions into the next block, in call
 *       order (log indexes count across the block). {@link #mine(int)} adds empty blocks.</li>
 *   <li>A block {@code n} has a hash derived from a salt, {@code n} and its parent's hash, the
 *       genesis parent hash {@code 0x00..00}, and the timestamp {@code 1_700_000_000 + 2n}.</li>
 *   <li>Contract code ({@link #deployContract}, {@link #deployFactory}) exists from the next
 *       mined block on, like every state change.</li>
 *   <li>A cut the Diamond standard forbids (adding a selector that exists, replacing a missing one
 *       or with the same facet, removing a missing one) throws {@link IllegalStateException} at
 *       the call, as the reverted transaction would, and queues nothing.</li>
 * </ul>
 *
 * <h2>Reorgs</h2>
 * {@link #rewindTo(long, String) rewindTo(n, salt)} drops every block above {@code n} and the
 * pending transactions, and restores the state as of block {@code n}; the blocks mined after it are
 * hashed with the new salt, so a block {@code n + 1} mined again has a different hash from the
 * dropped one: a syncer that stored the dropped blocks sees a reorg with its fork at {@code n}. The
 * salt must differ from the one the dropped blocks were mined with (the constructor's is
 * {@code "main"}), or the same hashes come back and there is no reorg.
 *
 * <h2>Network</h2>
 * The chain id is the constructor's. {@code 31337} (what {@link GemforceScenario} uses) is the
 * network {@code localhost} of {@link io.gemforce.sync.network.Networks#defaults()}, with aliases
 * {@code local}, {@code anvil}, {@code hardhat} and {@code dev} and no confirmations, so a sync of
 * {@code "localhost"} reaches the head. The syncer discovers diamonds through the factories its
 * network names: configure the factory of {@link #createDiamond}, e.g.
 * {@code Networks.defaults().resolve("localhost").withFactories(List.of(factory), 0)} (see
 * {@link GemforceScenario#networks()}); a diamond from {@link #deployDiamond} is found only through
 * {@code syncDiamond} or the network's configured diamonds.
 *
 * <h2>What a node does that it simulates</h2>
 * <ul>
 *   <li>the loupe ({@code facets()}, {@code owner()}) and {@code eth_getCode} at any past block;
 *       {@link NotADiamondException} for an address with no code ({@code NO_CODE}) or with code but
 *       no loupe ({@code NOT_A_DIAMOND}); facets are listed in facet-address order;</li>
 *   <li>{@code eth_getLogs} filtered by addresses and topic0s, {@code eth_getBlockByNumber} (empty
 *       above the head), {@code eth_getTransactionByHash}'s input (a proposal's
 *       {@code proposeDiamondCut} call when {@link #propose(Address, Address, long, long, List)}
 *       names its cuts);</li>
 *   <li>limits: {@link #limitBlockRange} (a provider's block-range cap, with or without the hint of a
 *       range that would work), {@link #limitResults} (a result-size cap), {@link #keepStateFor} (a
 *       pruned, non-archive node);</li>
 *   <li>counters: {@link #calls(String)} per JSON-RPC method, {@link #logQueries()}.</li>
 * </ul>
 * It never fails by itself: wrap it to inject transient faults, with {@link ForwardingChainSource}
 * (override the call to break) or {@link ChaosChain} (late, refused and failed {@code eth_getLogs}
 * at random).
 *
 * <p>Not thread-safe, and it says so ({@link #threadSafe()} is {@code false}): the syncer then calls
 * it from one thread at a time. Script it between syncs, not while one runs; {@link ChaosChain} is a
 * thread-safe view of it.
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
    private boolean anyAddress;
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

    /**
     * A chain with only block 0.
     *
     * @param chainId what {@link #chainId()} answers; {@code 31337} is {@code localhost} in the default
     *     networks
     */
    public ScriptedChain(long chainId) {
        this.chainId = chainId;
        mine(); // genesis
    }

    // ---- scenario ----

    /** A fresh address with no code (an account), different from every address this chain gave before. */
    public Address newAddress() {
        return new Address("0x" + Hash.sha3String("addr" + (++addressCounter)).substring(26));
    }

    /**
     * A contract that is not a diamond (a facet, say): from the next mined block on it has code, and
     * its {@code facets()} fails with {@code NOT_A_DIAMOND}.
     */
    public Address deployContract() {
        Address a = newAddress();
        world.code.add(a);
        return a;
    }

    /**
     * A Gemforce diamond factory: a contract that {@link #createDiamond} names as the emitter of
     * {@code DiamondCreated}. It is a factory to the syncer only once its network lists it.
     */
    public Address deployFactory() {
        return deployContract();
    }

    /**
     * A diamond deployed without a factory, in one transaction: {@code DiamondCut(initial)} and
     * {@code OwnershipTransferred(0, owner)}. No factory announces it, so the syncer finds it only
     * when told ({@code syncDiamond}, or the network's configured diamonds).
     *
     * @return the diamond's address
     * @throws IllegalStateException when {@code initial} is not a valid cut (nothing is queued)
     */
    public Address deployDiamond(Address owner, List<FacetCut> initial) {
        Address d = newAddress();
        LogSpec cut = initialCut(d, initial);
        world.code.add(d);
        List<LogSpec> logs = new ArrayList<>();
        logs.add(cut);
        logs.add(ownerLog(d, Address.ZERO, owner));
        world.owners.put(d, owner);
        pending.add(new PendingTx(logs));
        return d;
    }

    /**
     * A diamond created through a Gemforce factory, in one transaction with the logs the real
     * factory emits, in its order: {@code DiamondCut(initial)}, {@code OwnershipTransferred(0, caller)}
     * and {@code Initialized(1)} from the new diamond, then the factory's
     * {@code DiamondCreated(factory, diamond, symbol, settings)}.
     *
     * @param factory the emitter of {@code DiamondCreated} (see {@link #deployFactory()})
     * @param caller the diamond's first owner
     * @return the diamond's address
     * @throws IllegalStateException when {@code initial} is not a valid cut (nothing is queued)
     */
    public Address createDiamond(Address factory, Address caller, String symbol, String name, List<FacetCut> initial) {
        Address d = newAddress();
        LogSpec cut = initialCut(d, initial);
        world.code.add(d);
        List<LogSpec> logs = new ArrayList<>();
        logs.add(cut);
        logs.add(ownerLog(d, Address.ZERO, caller));
        world.owners.put(d, caller);
        logs.add(new LogSpec(d, List.of(Hash.sha3String("Initialized(uint64)")), LogData.words(BigInteger.ONE)));
        String symbolHash = Hash.sha3(LogData.hex(symbol.getBytes(StandardCharsets.UTF_8)));
        logs.add(new LogSpec(factory, List.of(EventType.DIAMOND_CREATED.topic0(), LogData.topic(factory),
                LogData.topic(d), symbolHash),
                LogData.diamondSettings(Address.of("0x000000000000000000000000000000000000dead"), factory,
                        Address.ZERO, symbol, name)));
        pending.add(new PendingTx(logs));
        return d;
    }

    /**
     * A {@code diamondCut} transaction: the diamond's {@code DiamondCut(cuts, 0, "")} log, and its
     * selectors change from the next mined block on. The cuts apply in order, as the contract does.
     *
     * @throws IllegalArgumentException when {@code diamond} is not a diamond of this chain
     * @throws IllegalStateException when the cut is invalid (the transaction reverts; nothing is queued)
     */
    public ScriptedChain cut(Address diamond, List<FacetCut> cuts) {
        pending.add(new PendingTx(List.of(cutLog(diamond, cuts))));
        return this;
    }

    /**
     * A {@code transferOwnership} transaction: {@code OwnershipTransferred(previous, newOwner)}, and
     * {@code owner()} answers {@code newOwner} from the next mined block on.
     *
     * @throws IllegalArgumentException when {@code diamond} is not a diamond of this chain
     */
    public ScriptedChain transferOwnership(Address diamond, Address newOwner) {
        requireDiamond(diamond);
        Address prev = world.owners.get(diamond);
        world.owners.put(diamond, newOwner);
        pending.add(new PendingTx(List.of(ownerLog(diamond, prev, newOwner))));
        return this;
    }

    /**
     * A proposed upgrade whose transaction input says nothing of the cuts: Gemforce's
     * {@code DiamondCutProposed(proposer, proposalTime, executionTime)}. The selectors do not change.
     */
    public ScriptedChain propose(Address diamond, Address proposer, long proposalTime, long executionTime) {
        return propose(diamond, proposer, proposalTime, executionTime, List.of());
    }

    /**
     * A proposed upgrade: {@code DiamondCutProposed(proposer, proposalTime, executionTime)}, in a
     * transaction whose input is {@code proposeDiamondCut(cuts, 0, "")} (plain {@code 0x} when
     * {@code cuts} is empty), from which the syncer reads the proposed cuts. The selectors do not
     * change.
     */
    public ScriptedChain propose(Address diamond, Address proposer, long proposalTime, long executionTime,
            List<FacetCut> cuts) {
        String input = cuts.isEmpty() ? "0x" : io.gemforce.sync.internal.abi.AbiEncoder.cutCall("proposeDiamondCut", cuts,
                Address.ZERO, new byte[0]);
        pending.add(new PendingTx(List.of(new LogSpec(diamond, List.of(EventType.DIAMOND_CUT_PROPOSED.topic0(),
                LogData.topic(proposer), "0x" + LogData.word(BigInteger.valueOf(proposalTime))),
                LogData.words(BigInteger.valueOf(executionTime)))), input));
        return this;
    }

    /** A cancelled proposal: {@code DiamondCutCancelled(canceller)}. */
    public ScriptedChain cancel(Address diamond, Address canceller) {
        pending.add(new PendingTx(List.of(new LogSpec(diamond,
                List.of(EventType.DIAMOND_CUT_CANCELLED.topic0(), LogData.topic(canceller)), "0x"))));
        return this;
    }

    /**
     * A transaction with one log of any shape, e.g. a facet's ERC-721 {@code Transfer}, a malformed
     * {@code DiamondCut} or a {@code DiamondCreated} from a contract that is not a factory
     * ({@link LogData} encodes topics and data). The model's state does not change.
     *
     * @param topics {@code 0x}-prefixed 32-byte topics, topic0 first
     * @param data {@code 0x}-prefixed hex
     */
    public ScriptedChain emit(Address from, List<String> topics, String data) {
        pending.add(new PendingTx(List.of(new LogSpec(from, topics, data))));
        return this;
    }

    /**
     * Seals the pending transactions, in call order, into the next block (an empty block when none
     * is pending) and makes the state changes they carry visible at that block.
     *
     * @return the new head
     */
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

    /** Mines {@code n} blocks: the pending transactions go into the first, the others are empty. */
    public ScriptedChain mine(int n) {
        for (int i = 0; i < n; i++) {
            mine();
        }
        return this;
    }

    /**
     * A reorg: drops every block above {@code number} and the pending transactions, restores the
     * state as of block {@code number}, and hashes the blocks mined from now on with
     * {@code newSalt}. Script the new branch, then {@link #mine()} it.
     *
     * @param number the fork block, kept (0 keeps only genesis)
     * @param newSalt different from the salt of the dropped blocks ({@code "main"} at first), so the
     *     new blocks get new hashes
     * @throws IllegalArgumentException when {@code number} is negative or above the head
     */
    public ScriptedChain rewindTo(long number, String newSalt) {
        if (number < 0 || number >= blocks.size()) {
            throw new IllegalArgumentException("no block " + number + " to rewind to (head " + (blocks.size() - 1) + ")");
        }
        while (blocks.size() - 1 > number) {
            blocks.remove(blocks.size() - 1);
        }
        world = blocks.get(blocks.size() - 1).world.copy();
        pending.clear();
        salt = newSalt;
        return this;
    }

    /**
     * Refuse {@code eth_getLogs} over more than {@code blocks} blocks with
     * {@link ChainException.RangeTooLarge}, as providers do; with {@code hint}, the error names a
     * range that would work (Alchemy's "Try with this block range [0x.., 0x..]"), without, it does not.
     */
    public ScriptedChain limitBlockRange(long blocks, boolean hint) {
        this.maxBlockRange = blocks;
        this.hintRanges = hint;
        return this;
    }

    /**
     * Behave as a node that is not an archive node: state ({@code facets}, {@code owner},
     * {@code hasCode}) only for the newest {@code blocks} blocks, {@link ChainException.StateUnavailable}
     * below; logs and headers stay available. The window moves with the head.
     */
    public ScriptedChain keepStateFor(long blocks) {
        this.keepState = blocks;
        return this;
    }

    /**
     * Answer log queries for any emitter ({@link LogQuery#anyAddress()}), as {@code eth_getLogs} does
     * without an address filter: {@link #anyAddressLogs()} then says {@code true}. Off by default, so
     * that the syncer names the addresses it reads.
     */
    public ScriptedChain acceptAnyAddress(boolean accept) {
        this.anyAddress = accept;
        return this;
    }

    /**
     * Refuse {@code eth_getLogs} whose result would exceed {@code results} logs with
     * {@link ChainException.RangeTooLarge} (no hint), as providers that cap results do.
     */
    public ScriptedChain limitResults(long results) {
        this.maxResults = results;
        return this;
    }

    /**
     * How many times a method was called since the start or {@link #resetCounters()}, by its JSON-RPC
     * name: {@code eth_chainId}, {@code eth_blockNumber}, {@code eth_getBlockByNumber},
     * {@code eth_getLogs}, {@code eth_getCode}, {@code eth_getTransactionByHash}, and {@code facets}
     * and {@code owner} for the loupe calls. The port's batch methods count each call they make.
     */
    public int calls(String method) {
        AtomicInteger c = calls.get(method);
        return c == null ? 0 : c.get();
    }

    /** Every {@code eth_getLogs} query since the start or {@link #resetCounters()}, in call order. */
    public List<LogQuery> logQueries() {
        return List.copyOf(logQueries);
    }

    /** Zeroes {@link #calls(String)} and empties {@link #logQueries()}. */
    public void resetCounters() {
        calls.clear();
        logQueries.clear();
    }

    /**
     * The diamond's selectors as selector → facet, with the pending transactions applied (what the
     * loupe answers once they are mined): the expected value of a store's
     * {@code DiamondRecord.state().selectorMap()} after a sync to the head.
     *
     * @throws IllegalArgumentException when {@code diamond} is not a diamond of this chain
     */
    public Map<Selector, Address> selectorsOf(Address diamond) {
        requireDiamond(diamond);
        return Map.copyOf(world.diamonds.get(diamond));
    }

    /**
     * The diamond's owner with the pending transactions applied.
     *
     * @throws IllegalArgumentException when {@code diamond} is not a diamond of this chain
     */
    public Address ownerOf(Address diamond) {
        requireDiamond(diamond);
        return world.owners.get(diamond);
    }

    private void requireDiamond(Address diamond) {
        if (!world.diamonds.containsKey(diamond)) {
            throw new IllegalArgumentException(diamond + " is not a diamond of this chain");
        }
    }

    /** The first cut of a new diamond, checked before anything of it exists. */
    private LogSpec initialCut(Address diamond, List<FacetCut> initial) {
        world.diamonds.put(diamond, new LinkedHashMap<>());
        try {
            return cutLog(diamond, initial);
        } catch (RuntimeException e) {
            world.diamonds.remove(diamond);
            throw e;
        }
    }

    private LogSpec cutLog(Address diamond, List<FacetCut> cuts) {
        requireDiamond(diamond);
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
                LogData.diamondCut(cuts, Address.ZERO, new byte[0]));
    }

    private static LogSpec ownerLog(Address diamond, Address prev, Address next) {
        return new LogSpec(diamond, List.of(EventType.OWNERSHIP_TRANSFERRED.topic0(), LogData.topic(prev),
                LogData.topic(next)), "0x");
    }

    // ---- ChainSource: what the syncer calls ----

    private void count(String method) {
        calls.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public boolean anyAddressLogs() {
        return anyAddress;
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
        if (q.anyAddress() && !anyAddress) {
            throw new IllegalStateException("a log query without addresses sent to a source that does not take them");
        }
        Set<Address> addresses = new HashSet<>(q.addresses());
        Set<String> topics = new HashSet<>(q.topic0s());
        List<RawLog> out = new ArrayList<>();
        for (long n = q.fromBlock(); n <= q.toBlock() && n < blocks.size(); n++) {
            for (RawLog l : blocks.get((int) n).logs) {
                if ((q.anyAddress() || addresses.contains(l.address()))
                        && (topics.isEmpty() || topics.contains(l.topic0()))) {
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
