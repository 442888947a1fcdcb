package io.gemforce.sync.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The chain {@code bench-sparse} syncs, served by a pruned Anvil node ({@code --prune-history}: the
 * head's state only, old-block calls fail with "BlockOutOfRangeError", as on a non-archive endpoint).
 *
 * <p>Mining it on that node is slow: Anvil's in-memory database recomputes the whole state root (every
 * account's storage trie) for every block, empty or not, so each block costs in proportion to the
 * state, about 0.04 ms per factory-made diamond (40+ minutes for 100 diamonds over 1,000,000 blocks).
 * A forking node computes no state root, so the chain is built on one instead: a plain Anvil (the
 * base, genesis at {@value #GENESIS_TIMESTAMP}) and a builder forking it at block 0, where the
 * contracts are deployed, the diamonds created through the factory and cut, the gaps mined with
 * {@code anvil_mine} (about 0.05 ms a block whatever the state). The builder's {@code anvil_dumpState}
 * (accounts, every block, transaction and receipt) is then loaded into the serving node, started
 * with the base's genesis, so block 1's parent is its block 0: a contiguous chain of real blocks
 * with the logs at their blocks, whose headers carry the forking node's zero state root.
 *
 * <p>With a cache folder, the dump and what the program did are saved there, keyed by the shape, the
 * seed, the Anvil version and the contracts' bytecode, and a later run only loads them.
 */
final class SparseChain implements AutoCloseable {
    /** The genesis timestamp of the base and of the serving node: the same genesis, the same block 0. */
    static final String GENESIS_TIMESTAMP = "1700000000";
    /**
     * How long one JSON-RPC call to the nodes may take: a dump or a load of a long chain takes a minute,
     * and a niced run on a busy machine can wait long for a 10,000-block {@code anvil_mine}.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final long CHAIN_ID = 31337;
    private static final long MINE_CHUNK = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CONTRACTS = List.of("DiamondCutFacet", "DiamondLoupeFacet", "OwnershipFacet",
            "DiamondInit", "TestFacetA", "TestFacetB", "TestFacetC", "DiamondFactory");

    /** What the program did: per diamond, the test selectors it holds and their facets; DiamondCut events emitted. */
    record Chain(Map<Address, Map<Selector, Address>> models, long diamondCuts) {
    }

    /** The chain's shape: diamonds, cuts, blocks from the factory's deployment block, random seed. */
    record Shape(int diamonds, int events, long blocks, long seed) {
        String key() {
            return "d" + diamonds + "-e" + events + "-b" + blocks + "-s" + seed;
        }
    }

    /** The serving node, pruned, holding the chain. */
    final Anvil node;
    final Address factory;
    final long factoryBlock;
    final long head;
    final Chain chain;
    /** How the chain got there and how long each step took, for the report. */
    final String how;

    private SparseChain(Anvil node, Address factory, long factoryBlock, long head, Chain chain, String how) {
        this.node = node;
        this.factory = factory;
        this.factoryBlock = factoryBlock;
        this.head = head;
        this.chain = chain;
        this.how = how;
    }

    /**
     * Starts the serving node (keeping {@code pruneHistory} states besides the head's: see
     * {@link Anvil#startPruned}) and gives it the chain: from {@code cacheDir} when it holds this shape,
     * else built on a forking node, then saved there ({@code cacheDir} may be null: no cache).
     */
    static SparseChain create(Shape shape, long pruneHistory, Path cacheDir, PrintWriter err) {
        List<String> args = new ArrayList<>(List.of("--prune-history"));
        if (pruneHistory > 0) {
            args.add(Long.toString(pruneHistory));
        }
        args.addAll(List.of("--no-request-size-limit", "--timestamp", GENESIS_TIMESTAMP));
        Anvil node = Anvil.start(CHAIN_ID, args, TIMEOUT);
        try {
            Path dumpFile = null;
            Path metaFile = null;
            if (cacheDir != null) {
                String key = shape.key() + "-" + fingerprint(node);
                dumpFile = cacheDir.resolve("sparse-" + key + ".state.gz");
                metaFile = cacheDir.resolve("sparse-" + key + ".json");
                if (Files.isRegularFile(dumpFile) && Files.isRegularFile(metaFile)) {
                    return fromCache(node, dumpFile, metaFile, err);
                }
            }
            return build(node, shape, dumpFile, metaFile, err);
        } catch (RuntimeException | IOException e) {
            node.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    @Override
    public void close() {
        node.close();
    }

    private static SparseChain build(Anvil node, Shape shape, Path dumpFile, Path metaFile, PrintWriter err)
            throws IOException {
        long t0 = System.nanoTime();
        String dump;
        Address factory;
        long factoryBlock;
        long head;
        String headHash;
        Chain chain;
        double buildSeconds;
        // --quiet: Anvil logs every mined block otherwise (150 MB for 1,000,000 blocks, half the mining time)
        try (Anvil base = Anvil.start(CHAIN_ID, List.of("--quiet", "--timestamp", GENESIS_TIMESTAMP), TIMEOUT);
                Anvil builder = Anvil.start(CHAIN_ID, List.of("--quiet", "--prune-history", "--fork-url", base.rpcUrl(),
                        "--fork-block-number", "0"), TIMEOUT)) {
            GemforceContracts g = new GemforceContracts(builder).deployAll();
            chain = generate(builder, g, shape, err);
            factory = g.factory;
            factoryBlock = g.factoryBlock;
            head = builder.blockNumber();
            headHash = hash(builder, head);
            buildSeconds = seconds(t0);
            log(err, String.format("  built blocks %d..%d on a forking node in %.1f s; dumping...", factoryBlock, head,
                    buildSeconds));
            t0 = System.nanoTime();
            dump = builder.dumpState(TIMEOUT);
        }
        double dumpSeconds = seconds(t0);
        log(err, String.format("  dumped in %.1f s (%d MB gzip'd); loading into the pruned node...", dumpSeconds,
                dump.length() / 2 / 1_000_000));
        t0 = System.nanoTime();
        node.loadState(dump, TIMEOUT);
        double loadSeconds = seconds(t0);
        t0 = System.nanoTime();
        check(node, factory, factoryBlock, head, headHash);
        String how = String.format("built on a forking node in %.1f s, dumped in %.1f s, loaded into the pruned node in"
                + " %.1f s, checked in %.1f s", buildSeconds, dumpSeconds, loadSeconds, seconds(t0));
        if (dumpFile != null) {
            save(dumpFile, metaFile, dump, factory, factoryBlock, head, headHash, chain);
            log(err, "  saved to " + dumpFile);
        }
        return new SparseChain(node, factory, factoryBlock, head, chain, how);
    }

    // ---------------------------------------------------------------------------- the checks

    /**
     * The served chain is the one built: same head and head hash, each checked block's parent hash is
     * the hash of the block before it (the first blocks, block 1's parent being the serving node's own
     * block 0, and 500 random blocks), and old state is refused.
     */
    private static void check(Anvil node, Address factory, long factoryBlock, long head, String headHash) {
        if (node.blockNumber() != head || !hash(node, head).equals(headHash)) {
            throw new IllegalStateException("the loaded chain's head is not the built one's (" + head + ", " + headHash + ")");
        }
        List<Long> sample = new ArrayList<>();
        for (long b = 1; b <= Math.min(head, factoryBlock + 3); b++) {
            sample.add(b);
        }
        Random rnd = new Random(head);
        for (int i = 0; i < 500; i++) {
            sample.add(1 + (long) (rnd.nextDouble() * head));
        }
        for (long b : sample) {
            JsonNode block = node.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(b), false);
            if (!block.get("parentHash").asText().equals(hash(node, b - 1))) {
                throw new IllegalStateException("block " + b + "'s parent hash is not block " + (b - 1) + "'s hash");
            }
        }
        try {
            node.rpc("eth_getCode", factory.hex(), "0x" + Long.toHexString(factoryBlock));
        } catch (IllegalStateException refused) {
            return; // BlockOutOfRangeError: no old state, as wanted
        }
        throw new IllegalStateException("the node serves the state of block " + factoryBlock + ": not pruned");
    }

    private static String hash(Anvil node, long block) {
        return node.rpc("eth_getBlockByNumber", "0x" + Long.toHexString(block), false).get("hash").asText();
    }

    // ---------------------------------------------------------------------------- the cache

    /** The Anvil version and the deployed contracts' bytecode: what a cached dump depends on besides the shape. */
    private static String fingerprint(Anvil node) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(node.rpc("web3_clientVersion").asText().getBytes(StandardCharsets.UTF_8));
            for (String name : CONTRACTS) {
                sha.update(GemforceContracts.artifact(name).get("bytecode").asText().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void save(Path dumpFile, Path metaFile, String dump, Address factory, long factoryBlock, long head,
            String headHash, Chain chain) throws IOException {
        Files.createDirectories(dumpFile.getParent());
        ObjectNode meta = JSON.createObjectNode().put("factory", factory.hex()).put("factoryBlock", factoryBlock)
                .put("head", head).put("headHash", headHash).put("diamondCuts", chain.diamondCuts());
        ObjectNode models = meta.putObject("models");
        chain.models().forEach((d, m) -> {
            ObjectNode o = models.putObject(d.hex());
            m.forEach((s, f) -> o.put(s.hex(), f.hex()));
        });
        Path tmp = Files.createTempFile(dumpFile.getParent(), "sparse", ".tmp");
        Files.write(tmp, HexFormat.of().parseHex(dump.substring(2)));
        Files.move(tmp, dumpFile, StandardCopyOption.REPLACE_EXISTING);
        tmp = Files.createTempFile(metaFile.getParent(), "sparse", ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), meta);
        Files.move(tmp, metaFile, StandardCopyOption.REPLACE_EXISTING);
    }

    private static SparseChain fromCache(Anvil node, Path dumpFile, Path metaFile, PrintWriter err) throws IOException {
        log(err, "  loading " + dumpFile + "...");
        long t0 = System.nanoTime();
        JsonNode meta = JSON.readTree(metaFile.toFile());
        Map<Address, Map<Selector, Address>> models = new LinkedHashMap<>();
        meta.get("models").fields().forEachRemaining(d -> {
            Map<Selector, Address> m = new HashMap<>();
            d.getValue().fields().forEachRemaining(s -> m.put(Selector.of(s.getKey()), Address.of(s.getValue().asText())));
            models.put(Address.of(d.getKey()), m);
        });
        Address factory = Address.of(meta.get("factory").asText());
        long factoryBlock = meta.get("factoryBlock").asLong();
        long head = meta.get("head").asLong();
        node.loadState("0x" + HexFormat.of().formatHex(Files.readAllBytes(dumpFile)), TIMEOUT);
        double loadSeconds = seconds(t0);
        t0 = System.nanoTime();
        check(node, factory, factoryBlock, head, meta.get("headHash").asText());
        String how = String.format("loaded from the cache (%s) into the pruned node in %.1f s, checked in %.1f s",
                dumpFile.getFileName(), loadSeconds, seconds(t0));
        return new SparseChain(node, factory, factoryBlock, head, new Chain(models, meta.get("diamondCuts").asLong()), how);
    }

    // ---------------------------------------------------------------------------- the generation

    /**
     * Creations and cuts at {@code diamonds + events} distinct random blocks of the next {@code blocks}
     * blocks (one transaction per block, gaps mined with {@code anvil_mine}); creations are spread over
     * the range like the cuts, so the sync discovers diamonds as it goes.
     */
    private static Chain generate(Anvil anvil, GemforceContracts g, Shape shape, PrintWriter err) {
        Random rnd = new Random(shape.seed());
        List<Address> facets = List.of(g.facetA, g.facetB, g.facetC);
        long start = anvil.blockNumber();
        long last = g.factoryBlock + shape.blocks() - 1; // the synced span, factoryBlock..last, is --blocks blocks
        long room = last - start;
        int diamonds = shape.diamonds();
        int slots = diamonds + shape.events();
        if (room < slots) {
            throw new IllegalArgumentException("--blocks " + shape.blocks() + " leaves " + room + " blocks for " + slots
                    + " transactions");
        }
        // selection sampling: each of the blocks start+1 .. last is picked with probability needed/left
        long[] positions = new long[slots];
        int picked = 0;
        for (long b = 1; b <= room && picked < slots; b++) {
            if (rnd.nextDouble() * (room - b + 1) < slots - picked) {
                positions[picked++] = start + b;
            }
        }
        Map<Address, Map<Selector, Address>> models = new LinkedHashMap<>();
        List<Address> created = new ArrayList<>();
        long current = start;
        long cuts = 0;
        long lastReport = System.nanoTime();
        for (int i = 0; i < slots; i++) {
            mineTo(anvil, current, positions[i] - 1);
            int leftToCreate = diamonds - created.size();
            boolean create = created.isEmpty() || (leftToCreate > 0 && rnd.nextInt(slots - i) < leftToCreate);
            if (create) {
                int n = created.size() + 1;
                Address d = g.createDiamond(Anvil.DEPLOYER, "SP" + n, "Sparse " + n);
                created.add(d);
                models.put(d, new HashMap<>());
            } else {
                Address d = created.get(rnd.nextInt(created.size()));
                FacetCut cut = randomCut(rnd, models.get(d), TestSelectors.ALL, facets);
                g.diamondCut(Anvil.DEPLOYER, d, List.of(cut));
                cuts++;
            }
            current = positions[i];
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                log(err, "  " + (i + 1) + "/" + slots + " transactions, block " + current);
                lastReport = System.nanoTime();
            }
        }
        mineTo(anvil, current, last);
        return new Chain(models, cuts + created.size()); // each creation emits one DiamondCut too
    }

    /**
     * Mines from {@code current} up to {@code target} (nothing when already there), {@value #MINE_CHUNK}
     * blocks per call at most (half a second on the forking node).
     */
    private static void mineTo(Anvil anvil, long current, long target) {
        long left = target - current;
        while (left > 0) {
            int n = (int) Math.min(left, MINE_CHUNK);
            anvil.mine(n);
            left -= n;
        }
    }

    /** A cut that EIP-2535 accepts on a diamond holding {@code model}; applies it to {@code model}. */
    private static FacetCut randomCut(Random rnd, Map<Selector, Address> model, List<Selector> all, List<Address> facets) {
        List<Selector> absent = new ArrayList<>(all);
        absent.removeAll(model.keySet());
        List<Selector> present = new ArrayList<>(all);
        present.retainAll(model.keySet());
        while (true) {
            int action = rnd.nextInt(10); // add 40 %, replace 30 %, remove 30 %
            if (action < 4 && !absent.isEmpty()) {
                Address facet = facets.get(rnd.nextInt(facets.size()));
                List<Selector> chosen = pick(rnd, absent);
                chosen.forEach(s -> model.put(s, facet));
                return FacetCut.add(facet, chosen);
            }
            if (action >= 4 && action < 7 && !present.isEmpty()) {
                Address facet = facets.get(rnd.nextInt(facets.size()));
                List<Selector> movable = present.stream().filter(s -> !model.get(s).equals(facet)).toList();
                if (movable.isEmpty()) {
                    continue;
                }
                List<Selector> chosen = pick(rnd, movable);
                chosen.forEach(s -> model.put(s, facet));
                return FacetCut.replace(facet, chosen);
            }
            if (action >= 7 && !present.isEmpty()) {
                List<Selector> chosen = pick(rnd, present);
                chosen.forEach(model::remove);
                return FacetCut.remove(chosen);
            }
        }
    }

    /** One to three distinct selectors of {@code from}, in a random order. */
    private static List<Selector> pick(Random rnd, List<Selector> from) {
        List<Selector> copy = new ArrayList<>(from);
        Collections.shuffle(copy, rnd);
        return new ArrayList<>(copy.subList(0, Math.min(copy.size(), 1 + rnd.nextInt(3))));
    }

    /**
     * The test facets' selectors (a01()..a22(), b01()..b22(), c01()..c09()) in a fixed order: what the cuts
     * move. Read from the contract artifacts when first needed (picocli creates the command for every
     * command line).
     */
    static final class TestSelectors {
        static final List<Selector> ALL = testSelectors();
    }

    private static List<Selector> testSelectors() {
        List<Selector> out = new ArrayList<>();
        for (String name : List.of("TestFacetA", "TestFacetB", "TestFacetC")) {
            GemforceContracts.selectors(name).forEach((sig, sel) -> {
                if (sig.matches("[abc]\\d\\d\\(\\)")) { // not supportsInterface (the loupe's) nor emitTransfer
                    out.add(sel);
                }
            });
        }
        return List.copyOf(out);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void log(PrintWriter err, String s) {
        err.println(s);
        err.flush();
    }
}
