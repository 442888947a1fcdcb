package io.gemforce.sync.examples.cli;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.testbed.Anvil;
import io.gemforce.sync.testbed.GemforceContracts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the live demo does to its chain, one action per {@link #step}: on each diamond in turn a
 * proposal and its execution through the one-day time lock, a proposal and its cancellation, an
 * ownership transfer; every other round a new diamond (up to {@value #MAX_DIAMONDS}). Each executed
 * upgrade adds or removes (alternately) five functions of TestFacetA, so every proposal is valid.
 * Transactions come from Anvil's two first unlocked accounts; the diamonds' owners are tracked here.
 */
final class DemoDriver {
    static final int MAX_DIAMONDS = 8;
    private static final long TIME_LOCK_SECONDS = 86_401;

    private final Anvil anvil;
    private final GemforceContracts g;
    private final List<String> accounts;
    private final List<Selector> upgrade;
    private final List<Selector> cancelled;
    private final List<Gem> gems = new ArrayList<>();
    private final List<Consumer<Consumer<String>>> queue = new ArrayList<>();
    private int round;

    /** One diamond of the demo: its symbol, current owner, whether it has the upgrade's functions. */
    private static final class Gem {
        final String symbol;
        final Address address;
        String owner;
        boolean upgraded;

        Gem(String symbol, Address address, String owner) {
            this.symbol = symbol;
            this.address = address;
            this.owner = owner;
        }
    }

    DemoDriver(Anvil anvil, GemforceContracts g) {
        this.anvil = anvil;
        this.g = g;
        this.accounts = anvil.accounts().subList(0, 2);
        Map<String, Selector> a = GemforceContracts.selectors("TestFacetA");
        Map<String, Selector> b = GemforceContracts.selectors("TestFacetB");
        this.upgrade = List.of(a.get("a01()"), a.get("a02()"), a.get("a03()"), a.get("a04()"), a.get("a05()"));
        this.cancelled = List.of(b.get("b01()"), b.get("b02()"), b.get("b03()"), b.get("b04()"));
    }

    /** Creates the next diamond through the factory, owned by the next of the two accounts. */
    Address createDiamond() {
        int n = gems.size() + 1;
        String owner = accounts.get((n - 1) % 2);
        Address d = g.createDiamond(owner, "GEM" + n, "Gem " + n);
        gems.add(new Gem("GEM" + n, d, owner));
        return d;
    }

    String alice() {
        return accounts.get(0);
    }

    String bob() {
        return accounts.get(1);
    }

    private String who(String account) {
        return account.equals(alice()) ? "alice" : "bob";
    }

    /** The diamonds created so far. */
    List<Address> diamonds() {
        return gems.stream().map(x -> x.address).toList();
    }

    /** Sends the next transaction(s) of the scenario, telling {@code narrator} what it does first. */
    void step(Consumer<String> narrator) {
        if (gems.isEmpty()) {
            Address d = createDiamond();
            narrator.accept("created GEM1 at " + d);
            return;
        }
        if (queue.isEmpty()) {
            plan(gems.get(round % gems.size()));
            round++;
        }
        queue.remove(0).accept(narrator);
    }

    private void plan(Gem gem) {
        queue.add(say -> {
            List<FacetCut> cut = gem.upgraded ? List.of(FacetCut.remove(upgrade))
                    : List.of(FacetCut.add(g.facetA, upgrade));
            say.accept(gem.symbol + ": " + who(gem.owner) + " proposes an upgrade (" + (gem.upgraded ? "remove" : "add")
                    + " a01()..a05() of TestFacetA), executable in one day");
            g.propose(gem.owner, gem.address, cut);
        });
        queue.add(say -> {
            say.accept(gem.symbol + ": one day passes on the chain (evm_increaseTime); " + who(gem.owner)
                    + " executes the upgrade");
            anvil.increaseTime(TIME_LOCK_SECONDS);
            g.execute(gem.owner, gem.address);
            gem.upgraded = !gem.upgraded;
        });
        queue.add(say -> {
            say.accept(gem.symbol + ": " + who(gem.owner) + " proposes another upgrade (add b01()..b04() of TestFacetB)");
            g.propose(gem.owner, gem.address, List.of(FacetCut.add(g.facetB, cancelled)));
        });
        queue.add(say -> {
            say.accept(gem.symbol + ": " + who(gem.owner) + " cancels it");
            g.cancel(gem.owner, gem.address);
        });
        queue.add(say -> {
            String to = gem.owner.equals(accounts.get(0)) ? accounts.get(1) : accounts.get(0);
            say.accept(gem.symbol + ": " + who(gem.owner) + " transfers the ownership to " + who(to));
            g.transferOwnership(gem.owner, gem.address, to);
            gem.owner = to;
        });
        if (round % 2 == 1 && gems.size() < MAX_DIAMONDS) {
            queue.add(say -> {
                int n = gems.size() + 1;
                say.accept("the factory creates GEM" + n + " for " + who(accounts.get((n - 1) % 2)));
                createDiamond();
            });
        }
    }
}
