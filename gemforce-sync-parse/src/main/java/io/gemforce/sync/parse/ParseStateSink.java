package io.gemforce.sync.parse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.SinkException;
import io.gemforce.sync.chain.BlockId;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.sink.ApplyResult;
import io.gemforce.sync.sink.ChangeSet;
import io.gemforce.sync.sink.Checkpoint;
import io.gemforce.sync.sink.DiamondRecord;
import io.gemforce.sync.sink.LeaseStore;
import io.gemforce.sync.sink.StateSink;
import io.gemforce.sync.sink.StoreContents;
import io.gemforce.sync.sink.StoreContentsReader;
import io.gemforce.sync.sink.StoredEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateSink} that keeps the store in Parse Server, through its REST API with the master key.
 * It behaves exactly as {@link io.gemforce.sync.sink.InMemoryStateSink}: {@link #contents} read back
 * from Parse ({@link StoreContentsReader}, for tests and tools) equals the in-memory sink's after the
 * same calls.
 *
 * <h2>Classes</h2>
 * {@code Diamond}, {@code Facet} (one row per facet, {@code position} keeps the loupe's order,
 * {@code diamond} points to the Diamond), {@code DiamondEvent} and {@code SyncState}, every row with
 * {@code chainId} so that rollback and reset touch one chain only. {@link ParseSchema} creates or
 * migrates them when the sink is built, with indexes on the lookup keys.
 *
 * <h2>Idempotency</h2>
 * Every object has a deterministic objectId ({@link ObjectIds}: a hash of its natural key, e.g.
 * (chainId, uid) for an event). {@link #apply} first reads what exists (events by chunked
 * {@code objectId $in} queries of {@value #ID_CHUNK}; the change set's diamonds, their facets and
 * the checkpoints likewise), then writes only the difference: creates for missing objects, updates
 * for objects whose managed fields differ, deletes for facets no longer in a diamond. A replayed
 * change set therefore sends no write at all (no {@code updatedAt} moves). Creates carry their
 * objectId, so even a concurrent or replayed create cannot duplicate: Parse answers 137. Since a
 * 137 (or any failure) aborts a whole transactional batch, the sink then reads again, rebuilds the
 * difference and sends it once more ({@value #ATTEMPTS} attempts in all).
 *
 * <h2>Batching and atomicity</h2>
 * The difference goes out as one {@code POST /batch} with {@code "transaction": true}, so events,
 * diamonds, facets and checkpoints advance together. Parse Server 9.10 accepts any number of
 * sub-requests from the master key; the limit is the request body, {@code maxUploadSize} (20 MB by
 * default, else HTTP 413). When a change set exceeds the client's {@link ParseClient#maxBatchRequests()}
 * or {@link ParseClient#maxBatchBytes()}, it is written in several transactional batches in this
 * order: events; facet deletes; diamonds; facet creates and updates; checkpoints last. A crash
 * between batches can leave new events and part of the diamond state written, but never a checkpoint
 * ahead of the data it covers: the sync resumes from the old checkpoint, replays the same range, and
 * the difference completes the store. {@link #rollback} writes deletes and stale marks before moving
 * checkpoints back, and {@link #reset} deletes checkpoints first, for the same reason.
 *
 * <h2>Parse Server options the sink needs</h2>
 * <ul>
 *   <li>{@code allowCustomObjectId: true} (required: creates carry their objectId);</li>
 *   <li>the master key, accepted from the sink's address: {@code masterKeyIps} defaults to loopback
 *       ({@code ["127.0.0.1", "::1"]}); list the sync host's address if it runs elsewhere;</li>
 *   <li>{@code maxUploadSize} at least the client's {@code maxBatchBytes} (default 10 MiB against the
 *       server's 20 MB);</li>
 *   <li>{@code maxLimit} unset, or at least the sink's page size (default {@value #DEFAULT_PAGE});</li>
 *   <li>not {@code logLevel: verbose} in production (Parse then logs request headers, master key
 *       included).</li>
 * </ul>
 * One writer per chain at a time: the syncer's per-network lock gives that; this class also
 * serialises its own calls.
 */
public final class ParseStateSink implements StateSink, StoreContentsReader, LeaseStore {
    private static final Logger log = LoggerFactory.getLogger(ParseStateSink.class);
    static final int ID_CHUNK = 1000;
    static final int DEFAULT_PAGE = 1000;
    static final int ATTEMPTS = 3;

    private final ParseClient client;
    private final ParseLeases leases;
    private final ParseCodec codec;
    private final int pageSize;
    private final Function<Selector, Optional<String>> signatures;
    private final ParseSchema.Changes schemaChanges;

    private ParseStateSink(Builder b) {
        this.client = b.client;
        this.leases = new ParseLeases(b.client);
        this.codec = new ParseCodec(client.mapper());
        this.pageSize = b.pageSize;
        this.signatures = b.signatures;
        this.schemaChanges = b.bootstrapSchema ? ParseSchema.ensure(client) : null;
    }

    public static Builder builder(ParseClient client) {
        return new Builder(client);
    }

    /** What the schema bootstrap changed when this sink was built ({@code null} if it was skipped). */
    public ParseSchema.Changes schemaChanges() {
        return schemaChanges;
    }

    public ParseClient client() {
        return client;
    }

    // ------------------------------------------------------------------------------------- reads

    @Override
    public Optional<Checkpoint> checkpoint(long chainId, String scope) {
        Objects.requireNonNull(scope, "scope");
        return client.get(ParseSchema.SYNC_STATE, ObjectIds.syncState(chainId, scope)).map(codec::checkpoint);
    }

    @Override
    public List<DiamondRecord> diamonds(long chainId) {
        List<ObjectNode> rows = client.findAll(ParseSchema.DIAMOND, chainWhere(chainId), pageSize);
        Map<String, List<ObjectNode>> facets = groupFacets(
                client.findAll(ParseSchema.FACET, chainWhere(chainId), pageSize));
        List<DiamondRecord> out = new ArrayList<>();
        for (ObjectNode r : rows) {
            out.add(codec.diamond(r, facets.getOrDefault(r.path("address").asText(), List.of())));
        }
        out.sort(Comparator.comparing(DiamondRecord::address));
        return out;
    }

    @Override
    public Optional<DiamondRecord> diamond(long chainId, Address address) {
        Objects.requireNonNull(address, "address");
        Optional<ObjectNode> row = client.get(ParseSchema.DIAMOND, ObjectIds.diamond(chainId, address));
        if (row.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode w = chainWhere(chainId);
        w.put("diamondAddress", address.hex());
        return Optional.of(codec.diamond(row.get(), client.findAll(ParseSchema.FACET, w, pageSize)));
    }

    @Override
    public StoreContents contents(long chainId) {
        List<StoredEvent> events = new ArrayList<>();
        for (ObjectNode r : client.findAll(ParseSchema.DIAMOND_EVENT, chainWhere(chainId), pageSize)) {
            events.add(codec.event(r));
        }
        events.sort(Comparator.comparingLong(StoredEvent::blockNumber).thenComparingLong(StoredEvent::logIndex)
                .thenComparing(StoredEvent::uid));
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (ObjectNode r : client.findAll(ParseSchema.SYNC_STATE, chainWhere(chainId), pageSize)) {
            checkpoints.add(codec.checkpoint(r));
        }
        checkpoints.sort(Comparator.comparing(Checkpoint::scope));
        return new StoreContents(events, diamonds(chainId), checkpoints);
    }

    /**
     * Reads the chain's events newest first ({@code blockNumber} descending, only the block fields),
     * a page of the sink's page size at a time, until {@code limit} distinct blocks are found; each
     * next page starts at the last block number read, skipping the rows of it already seen.
     */
    @Override
    public List<BlockId> eventBlocks(long chainId, long atOrBelow, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Set<BlockId> out = new LinkedHashSet<>();
        long cursor = atOrBelow;
        int skip = 0;
        while (true) {
            ObjectNode w = chainWhere(chainId);
            w.putObject("blockNumber").put("$lte", cursor);
            ParseQuery q = ParseQuery.where(w).order("-blockNumber,blockHash").limit(pageSize)
                    .keys("blockNumber", "blockHash");
            if (skip > 0) {
                q = q.skip(skip);
            }
            List<ObjectNode> page = client.find(ParseSchema.DIAMOND_EVENT, q).results();
            for (ObjectNode r : page) {
                out.add(new BlockId(r.path("blockNumber").asLong(), r.path("blockHash").asText()));
                if (out.size() == limit) {
                    return List.copyOf(out);
                }
            }
            if (page.size() < pageSize) {
                return List.copyOf(out);
            }
            long last = page.get(page.size() - 1).path("blockNumber").asLong();
            int atLast = (int) page.stream().filter(r -> r.path("blockNumber").asLong() == last).count();
            skip = last == cursor ? skip + atLast : atLast;
            cursor = last;
        }
    }

    // ------------------------------------------------------------------------------------ apply

    @Override
    public synchronized ApplyResult apply(ChangeSet changes) {
        Objects.requireNonNull(changes, "changes");
        validate(changes);
        if (changes.isEmpty()) {
            return ApplyResult.NONE;
        }
        ApplyResult first = null;
        for (int attempt = 1; ; attempt++) {
            Plan plan = plan(changes);
            if (first == null) {
                first = plan.result;
            }
            if (plan.ops.isEmpty()) {
                return first;
            }
            try {
                execute(plan.ops);
                log.debug("applied chain {}: {} writes, {} events inserted, {} diamonds changed", changes.chainId(),
                        plan.ops.size(), first.eventsInserted(), first.diamondsChanged());
                return first;
            } catch (ParseException e) {
                if (!e.transactionAborted() && e.parseCode() != ParseException.DUPLICATE_VALUE
                        && e.parseCode() != ParseException.DUPLICATE_REQUEST || attempt >= ATTEMPTS) {
                    throw e;
                }
                log.info("a batch for chain {} was rolled back ({}); reading the store again", changes.chainId(),
                        e.parseError());
            }
        }
    }

    private record Plan(List<BatchOp> ops, ApplyResult result) {
    }

    private Plan plan(ChangeSet cs) {
        long chainId = cs.chainId();
        // events: insert if absent, first of a uid wins
        Map<String, StoredEvent> events = new LinkedHashMap<>();
        for (StoredEvent e : cs.events()) {
            events.putIfAbsent(ObjectIds.event(chainId, e.uid()), e);
        }
        Set<String> existingEvents = existingIds(ParseSchema.DIAMOND_EVENT, events.keySet());
        List<BatchOp> eventOps = new ArrayList<>();
        int inserted = 0;
        for (Map.Entry<String, StoredEvent> e : events.entrySet()) {
            if (!existingEvents.contains(e.getKey())) {
                eventOps.add(BatchOp.create(ParseSchema.DIAMOND_EVENT,
                        ParseCodec.createBody(e.getKey(), codec.eventRow(e.getValue()))));
                inserted++;
            }
        }

        // diamonds: the last record of an address wins; count changes as the in-memory sink does
        Map<Address, DiamondRecord> desired = new LinkedHashMap<>();
        for (DiamondRecord d : cs.diamonds()) {
            desired.put(d.address(), d);
        }
        Map<String, ObjectNode> storedDiamonds = rowsById(ParseSchema.DIAMOND,
                desired.keySet().stream().map(a -> ObjectIds.diamond(chainId, a)).toList());
        Map<String, List<ObjectNode>> storedFacets = desired.isEmpty() ? Map.of()
                : groupFacets(facetsOf(chainId, desired.keySet()));
        Map<Address, DiamondRecord> current = new HashMap<>();
        for (Address a : desired.keySet()) {
            ObjectNode row = storedDiamonds.get(ObjectIds.diamond(chainId, a));
            if (row != null) {
                current.put(a, codec.diamond(row, storedFacets.getOrDefault(a.hex(), List.of())));
            }
        }
        int changed = 0;
        for (DiamondRecord d : cs.diamonds()) {
            if (!d.equals(current.put(d.address(), d))) {
                changed++;
            }
        }
        List<BatchOp> facetDeletes = new ArrayList<>();
        List<BatchOp> diamondOps = new ArrayList<>();
        List<BatchOp> facetWrites = new ArrayList<>();
        for (DiamondRecord d : desired.values()) {
            String id = ObjectIds.diamond(chainId, d.address());
            ObjectNode row = codec.diamondRow(d);
            ObjectNode stored = storedDiamonds.get(id);
            if (stored == null) {
                diamondOps.add(BatchOp.create(ParseSchema.DIAMOND, ParseCodec.createBody(id, row)));
            } else if (!ParseCodec.holds(stored, row)) {
                diamondOps.add(BatchOp.update(ParseSchema.DIAMOND, id, ParseCodec.updateBody(row)));
            }
            Map<String, ObjectNode> have = new HashMap<>();
            for (ObjectNode f : storedFacets.getOrDefault(d.address().hex(), List.of())) {
                have.put(f.path("objectId").asText(), f);
            }
            Map<Address, Integer> seen = new HashMap<>();
            Set<String> keep = new HashSet<>();
            for (int i = 0; i < d.facets().size(); i++) {
                Facet f = d.facets().get(i);
                int occurrence = seen.merge(f.facetAddress(), 1, Integer::sum) - 1;
                String fid = ObjectIds.facet(chainId, d.address(), f.facetAddress(), occurrence);
                keep.add(fid);
                ObjectNode frow = codec.facetRow(d, f, i, functions(f));
                ObjectNode fstored = have.get(fid);
                if (fstored == null) {
                    ObjectNode body = ParseCodec.createBody(fid, frow);
                    if (d.lastSyncedBlock() >= 0) {
                        body.put("addedBlock", d.lastSyncedBlock());
                        body.put("updatedBlock", d.lastSyncedBlock());
                    }
                    facetWrites.add(BatchOp.create(ParseSchema.FACET, body));
                } else if (!ParseCodec.holds(fstored, frow)) {
                    ObjectNode body = ParseCodec.updateBody(frow);
                    if (d.lastSyncedBlock() >= 0) {
                        body.put("updatedBlock", d.lastSyncedBlock());
                    }
                    facetWrites.add(BatchOp.update(ParseSchema.FACET, fid, body));
                }
            }
            for (String fid : have.keySet()) {
                if (!keep.contains(fid)) {
                    facetDeletes.add(BatchOp.delete(ParseSchema.FACET, fid));
                }
            }
        }

        // checkpoints: the last of a scope wins
        Map<String, Checkpoint> cps = new LinkedHashMap<>();
        for (Checkpoint cp : cs.checkpoints()) {
            cps.remove(cp.scope());
            cps.put(cp.scope(), cp);
        }
        Map<String, ObjectNode> storedCps = rowsById(ParseSchema.SYNC_STATE,
                cps.keySet().stream().map(s -> ObjectIds.syncState(chainId, s)).toList());
        List<BatchOp> cpOps = new ArrayList<>();
        for (Checkpoint cp : cps.values()) {
            String id = ObjectIds.syncState(chainId, cp.scope());
            ObjectNode row = codec.syncStateRow(cs.network(), chainId, cp);
            ObjectNode stored = storedCps.get(id);
            if (stored == null) {
                cpOps.add(BatchOp.create(ParseSchema.SYNC_STATE, ParseCodec.createBody(id, row)));
            } else if (!ParseCodec.holds(stored, row)) {
                cpOps.add(BatchOp.update(ParseSchema.SYNC_STATE, id, ParseCodec.updateBody(row)));
            }
        }

        List<BatchOp> ops = new ArrayList<>(eventOps.size() + facetDeletes.size() + diamondOps.size()
                + facetWrites.size() + cpOps.size());
        ops.addAll(eventOps);
        ops.addAll(facetDeletes);
        ops.addAll(diamondOps);
        ops.addAll(facetWrites);
        ops.addAll(cpOps);
        return new Plan(ops, new ApplyResult(inserted, changed));
    }

    private List<String> functions(Facet f) {
        List<String> out = new ArrayList<>();
        for (Selector s : f.selectors()) {
            signatures.apply(s).ifPresent(out::add);
        }
        return out;
    }

    // --------------------------------------------------------------------------- rollback, reset

    @Override
    public synchronized void rollback(long chainId, BlockId fork) {
        Objects.requireNonNull(fork, "fork");
        long n = fork.number();
        for (int attempt = 1; ; attempt++) {
            ObjectNode above = chainWhere(chainId);
            above.putObject("blockNumber").put("$gt", n);
            List<BatchOp> ops = new ArrayList<>();
            for (ObjectNode r : client.findAll(ParseSchema.DIAMOND_EVENT, above, pageSize, "objectId")) {
                ops.add(BatchOp.delete(ParseSchema.DIAMOND_EVENT, r.path("objectId").asText()));
            }
            ObjectNode createdAbove = chainWhere(chainId);
            createdAbove.putObject("createdBlock").put("$gt", n);
            Set<String> deleted = new HashSet<>();
            Set<Address> deletedAddresses = new HashSet<>();
            List<BatchOp> diamondDeletes = new ArrayList<>();
            for (ObjectNode r : client.findAll(ParseSchema.DIAMOND, createdAbove, pageSize, "objectId", "address")) {
                deleted.add(r.path("objectId").asText());
                deletedAddresses.add(Address.of(r.path("address").asText()));
                diamondDeletes.add(BatchOp.delete(ParseSchema.DIAMOND, r.path("objectId").asText()));
            }
            if (!deletedAddresses.isEmpty()) {
                for (ObjectNode f : facetsOf(chainId, deletedAddresses)) {
                    ops.add(BatchOp.delete(ParseSchema.FACET, f.path("objectId").asText()));
                }
            }
            ops.addAll(diamondDeletes);
            ObjectNode syncedAbove = chainWhere(chainId);
            syncedAbove.putObject("lastSyncedBlock").put("$gt", n);
            for (ObjectNode r : client.findAll(ParseSchema.DIAMOND, syncedAbove, pageSize, "objectId")) {
                String id = r.path("objectId").asText();
                if (!deleted.contains(id)) {
                    ObjectNode body = JsonNodeFactory.instance.objectNode();
                    body.put("lastSyncedBlock", -1);
                    body.putObject("lastSyncedBlockHash").put("__op", "Delete");
                    ops.add(BatchOp.update(ParseSchema.DIAMOND, id, body));
                }
            }
            for (ObjectNode r : client.findAll(ParseSchema.SYNC_STATE, syncedAbove, pageSize)) {
                Checkpoint moved = codec.checkpoint(r).rolledBackTo(fork);
                ObjectNode row = codec.syncStateRow(r.path("network").asText(), chainId, moved);
                ops.add(BatchOp.update(ParseSchema.SYNC_STATE, r.path("objectId").asText(), ParseCodec.updateBody(row)));
            }
            try {
                execute(ops);
                log.info("rolled chain {} back to block {}: {} writes", chainId, n, ops.size());
                return;
            } catch (ParseException e) {
                if (!e.transactionAborted() || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public synchronized void reset(long chainId) {
        for (int attempt = 1; ; attempt++) {
            List<BatchOp> ops = new ArrayList<>();
            for (String cls : List.of(ParseSchema.SYNC_STATE, ParseSchema.FACET, ParseSchema.DIAMOND,
                    ParseSchema.DIAMOND_EVENT)) {
                for (ObjectNode r : client.findAll(cls, chainWhere(chainId), pageSize, "objectId")) {
                    ops.add(BatchOp.delete(cls, r.path("objectId").asText()));
                }
            }
            try {
                execute(ops);
                log.info("reset chain {}: {} objects deleted", chainId, ops.size());
                return;
            } catch (ParseException e) {
                if (!e.transactionAborted() || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------- helpers

    /** Sends {@code ops} as one transactional batch, or in order as several when over the limits. */
    private void execute(List<BatchOp> ops) {
        if (ops.isEmpty()) {
            return;
        }
        List<List<BatchOp>> chunks = client.chunk(ops);
        if (chunks.size() > 1) {
            log.debug("{} writes exceed one batch: sending {} transactional batches in order", ops.size(),
                    chunks.size());
        }
        for (List<BatchOp> chunk : chunks) {
            List<BatchResult> results = client.batch(chunk, true);
            for (BatchResult r : results) {
                if (!r.isSuccess()) {
                    // a transactional batch that answers 200 has no failed item; be defensive anyway
                    throw new ParseException(r.errorCode(), r.errorMessage(), 200, "POST " + client.mountPath()
                            + "/batch", 1, true, null);
                }
            }
        }
    }

    private Set<String> existingIds(String className, Collection<String> ids) {
        Set<String> found = new HashSet<>();
        List<String> list = new ArrayList<>(ids);
        for (int i = 0; i < list.size(); i += ID_CHUNK) {
            List<String> chunk = list.subList(i, Math.min(list.size(), i + ID_CHUNK));
            ObjectNode w = JsonNodeFactory.instance.objectNode();
            ArrayNode in = w.putObject("objectId").putArray("$in");
            chunk.forEach(in::add);
            // a page one larger than the id list is never full: one query per chunk
            for (ObjectNode r : client.findAll(className, w, chunk.size() + 1, "objectId")) {
                found.add(r.path("objectId").asText());
            }
        }
        return found;
    }

    private Map<String, ObjectNode> rowsById(String className, List<String> ids) {
        Map<String, ObjectNode> found = new HashMap<>();
        for (int i = 0; i < ids.size(); i += ID_CHUNK) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + ID_CHUNK));
            ObjectNode w = JsonNodeFactory.instance.objectNode();
            ArrayNode in = w.putObject("objectId").putArray("$in");
            chunk.forEach(in::add);
            for (ObjectNode r : client.findAll(className, w, chunk.size() + 1)) {
                found.put(r.path("objectId").asText(), r);
            }
        }
        return found;
    }

    private List<ObjectNode> facetsOf(long chainId, Collection<Address> diamonds) {
        List<ObjectNode> out = new ArrayList<>();
        List<Address> list = new ArrayList<>(diamonds);
        for (int i = 0; i < list.size(); i += ID_CHUNK) {
            ObjectNode w = chainWhere(chainId);
            ArrayNode in = w.putObject("diamondAddress").putArray("$in");
            list.subList(i, Math.min(list.size(), i + ID_CHUNK)).forEach(a -> in.add(a.hex()));
            out.addAll(client.findAll(ParseSchema.FACET, w, pageSize));
        }
        return out;
    }

    private static Map<String, List<ObjectNode>> groupFacets(List<ObjectNode> facets) {
        Map<String, List<ObjectNode>> m = new TreeMap<>();
        for (ObjectNode f : facets) {
            m.computeIfAbsent(f.path("diamondAddress").asText(), k -> new ArrayList<>()).add(f);
        }
        return m;
    }

    private static ObjectNode chainWhere(long chainId) {
        ObjectNode w = JsonNodeFactory.instance.objectNode();
        w.put("chainId", chainId);
        return w;
    }

    private static void validate(ChangeSet cs) {
        for (StoredEvent e : cs.events()) {
            if (e.chainId() != cs.chainId()) {
                throw new IllegalArgumentException("event " + e.uid() + " is of chain " + e.chainId()
                        + ", the change set of chain " + cs.chainId());
            }
        }
        for (DiamondRecord d : cs.diamonds()) {
            if (d.chainId() != cs.chainId()) {
                throw new IllegalArgumentException("diamond " + d.address() + " is of chain " + d.chainId()
                        + ", the change set of chain " + cs.chainId());
            }
        }
    }

    @Override
    public String toString() {
        return "ParseStateSink[" + client + "]";
    }

    /** Builds a {@link ParseStateSink}; {@link #build()} creates or migrates the schema first. */
    /** Leases in the {@code SyncLock} class (see {@link ParseLeases}): several service instances take turns on a network. */
    @Override
    public boolean acquire(String name, String holder, Duration ttl) {
        return leases.acquire(name, holder, ttl);
    }

    @Override
    public void release(String name, String holder) {
        leases.release(name, holder);
    }

    @Override
    public Optional<String> holder(String name) {
        return leases.holder(name);
    }

    @Override
    public Map<String, String> live(String prefix) {
        return leases.live(prefix);
    }

    public static final class Builder {
        private final ParseClient client;
        private int pageSize = DEFAULT_PAGE;
        private boolean bootstrapSchema = true;
        private Function<Selector, Optional<String>> signatures = io.gemforce.sync.abi.KnownSignatures.standard();

        private Builder(ParseClient client) {
            this.client = Objects.requireNonNull(client, "client");
        }

        /** Objects per query page when reading (default 1000; at most the server's {@code maxLimit}). */
        public Builder pageSize(int pageSize) {
            if (pageSize < 1) {
                throw new IllegalArgumentException("pageSize must be positive");
            }
            this.pageSize = pageSize;
            return this;
        }

        /** Whether {@link #build()} creates or migrates the classes (default true). */
        public Builder bootstrapSchema(boolean bootstrap) {
            this.bootstrapSchema = bootstrap;
            return this;
        }

        /**
         * Known function signatures, stored in {@code Facet.functions} for the selectors they name
         * (for example from the facets' ABIs). By default the EIP-2535 loupe, cut, ownership and
         * ERC-165 functions and Gemforce's time-locked cut functions are named
         * ({@link io.gemforce.sync.abi.KnownSignatures#standard()}); add your facets' with
         * {@code KnownSignatures.builder().addAbiDirectory(dir).build()}.
         */
        public Builder signatures(Function<Selector, Optional<String>> signatures) {
            this.signatures = Objects.requireNonNull(signatures, "signatures");
            return this;
        }

        public ParseStateSink build() {
            return new ParseStateSink(this);
        }
    }
}
