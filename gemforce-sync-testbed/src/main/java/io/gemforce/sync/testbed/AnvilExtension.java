package io.gemforce.sync.testbed;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a running {@link Anvil}: one node per test class, started on first use and stopped
 * after the class. Tests that need a fresh chain within a class call {@link Anvil#reset()}; tests
 * that reorganise the chain should start their own node ({@link Anvil#start()}), since Anvil keeps
 * per-block state on disk across {@code anvil_reset}, keyed by block number.
 */
public final class AnvilExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AnvilExtension.class);

    private record Resource(Anvil anvil) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            anvil.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Anvil.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        ExtensionContext classContext = e;
        while (classContext.getParent().isPresent() && classContext.getParent().get() != e.getRoot()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NS).getOrComputeIfAbsent("anvil", k -> new Resource(Anvil.start()), Resource.class)
                .anvil();
    }
}
