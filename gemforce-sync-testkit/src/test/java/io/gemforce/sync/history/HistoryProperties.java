package io.gemforce.sync.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.gemforce.sync.DiamondSyncer;
import io.gemforce.sync.SyncStatus;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.network.Network;
import io.gemforce.sync.network.Networks;
import io.gemforce.sync.sink.InMemoryStateSink;
import io.gemforce.sync.testkit.ScriptedChain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Any valid Gemforce history (creations, adds, replaces, removes, transfers, proposals and
 * cancellations, several per block or none), synced in ranges of any size and in two runs: the
 * history read from the store equals the loupe at every block.
 */
class HistoryProperties {

    @Property(tries = 60)
    void theHistoryEqualsTheLoupeAtEveryBlock(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int steps,
            @ForAll @IntRange(min = 1, max = 9) int range) {
        Random rnd = new Random(seed);
        ScriptedChain chain = new ScriptedChain(31337);
        Address factory = chain.deployFactory();
        List<Address> facets = List.of(chain.deployContract(), chain.deployContract(), chain.deployContract());
        List<Address> people = List.of(chain.newAddress(), chain.newAddress(), chain.newAddress());
        chain.mine();
        Map<Address, Map<Selector, Address>> model = new LinkedHashMap<>();
        Map<Address, Boolean> pending = new HashMap<>();
        int nextSelector = 0x10000000;
        for (int i = 0; i < steps; i++) {
            int op = model.isEmpty() ? 0 : rnd.nextInt(9);
            Address d = model.isEmpty() ? null : new ArrayList<>(model.keySet()).get(rnd.nextInt(model.size()));
            switch (op) {
                case 0 -> {
                    List<Selector> initial = List.of(new Selector(nextSelector++), new Selector(nextSelector++));
                    Address created = chain.createDiamond(factory, people.get(rnd.nextInt(3)), "G" + i, "Gem " + i,
                            List.of(FacetCut.add(facets.get(0), initial)));
                    Map<Selector, Address> m = new HashMap<>();
                    initial.forEach(s -> m.put(s, facets.get(0)));
                    model.put(created, m);
                }
                case 1, 2 -> {
                    Address f = facets.get(rnd.nextInt(3));
                    List<Selector> added = new ArrayList<>();
                    for (int k = 0, n = 1 + rnd.nextInt(4); k < n; k++) {
                        added.add(new Selector(nextSelector++));
                    }
                    chain.cut(d, List.of(FacetCut.add(f, added)));
                    added.forEach(s -> model.get(d).put(s, f));
                    pending.put(d, false);
                }
                case 3 -> {
                    Address f = facets.get(rnd.nextInt(3));
                    List<Selector> moved = model.get(d).entrySet().stream().filter(e -> !e.getValue().equals(f))
                            .map(Map.Entry::getKey).limit(1 + rnd.nextInt(3)).toList();
                    if (!moved.isEmpty()) {
                        chain.cut(d, List.of(FacetCut.replace(f, moved)));
                        moved.forEach(s -> model.get(d).put(s, f));
                        pending.put(d, false);
                    }
                }
                case 4 -> {
                    List<Selector> gone = model.get(d).keySet().stream().limit(1 + rnd.nextInt(2)).toList();
                    if (!gone.isEmpty()) {
                        chain.cut(d, List.of(FacetCut.remove(gone)));
                        gone.forEach(model.get(d)::remove);
                        pending.put(d, false);
                    }
                }
                case 5 -> chain.transferOwnership(d, people.get(rnd.nextInt(3)));
                case 6 -> {
                    chain.propose(d, people.get(0), 1_700_000_000L + i, 1_700_086_400L + i);
                    pending.put(d, true);
                }
                case 7 -> {
                    if (pending.getOrDefault(d, false)) {
                        chain.cancel(d, people.get(0));
                        pending.put(d, false);
                    }
                }
                default -> chain.mine(1 + rnd.nextInt(3));
            }
            if (rnd.nextInt(3) == 0) {
                chain.mine();
            }
        }
        chain.mine();
        long head = chain.head().number();

        Network local = Networks.defaults().resolve("localhost").withFactories(List.of(factory), 0);
        InMemoryStateSink sink = new InMemoryStateSink();
        DiamondSyncer syncer = DiamondSyncer.builder().chainSource(chain).sink(sink)
                .networks(Networks.defaults().toBuilder().add(local).build()).blockRange(range, 1, range).build();
        long middle = rnd.nextInt((int) head + 1);
        assertThat(syncer.syncAll("localhost", null, middle, false).status()).isEqualTo(SyncStatus.SUCCESS);
        assertThat(syncer.syncAll("localhost", null, head, false).status()).isEqualTo(SyncStatus.SUCCESS);

        for (Address d : model.keySet()) {
            DiamondHistory h = DiamondHistory.read(sink, 31337, d);
            assertThat(h.complete()).as(h.incompleteBecause().orElse("")).isTrue();
            DiamondHistoryTest.assertEqualsTheLoupeAtEveryBlock(h, chain, head);
            assertThat(h.at(head).pendingUpgrade() != null).as("pending at the head of %s", d)
                    .isEqualTo(pending.getOrDefault(d, false));
        }
    }
}
