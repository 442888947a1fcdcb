package io.gemforce.sync.abi;

import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.web3j.crypto.Hash;

/**
 * Function signatures by selector, for showing which functions a facet serves, and the ERC-165
 * interface ids of the ABIs they come from. Starts with the functions every EIP-2535 diamond and
 * Gemforce's time-locked cut facet have; a host adds its facets' ABIs through {@link #builder()}:
 *
 * <pre>{@code
 * KnownSignatures names = KnownSignatures.builder()
 *         .addAbiDirectory(Path.of("out"))          // Foundry, Hardhat artifacts, solc output, plain ABIs
 *         .addSignatures(List.of("mint(address,uint256)"))
 *         .build();
 * names.apply(Selector.of("0xa9059cbb"));          // Optional[transfer(address,uint256)]
 * names.interfacesOf(facet);                         // the ABIs the facet serves whole, with their ids
 * }</pre>
 *
 * When two ABIs give one selector different signatures (a selector clash), the first added wins;
 * files of a directory are read in path order. Immutable and thread-safe.
 */
public final class KnownSignatures implements Function<Selector, Optional<String>> {
    private static final String[] TIME_LOCK = {
        "proposeDiamondCut((address,uint8,bytes4[])[],address,bytes)",
        "executeDiamondCut()",
        "cancelDiamondCut()",
    };
    private static final List<AbiInterface> STANDARD_INTERFACES = List.of(
            builtIn("IERC165", "supportsInterface(bytes4)"),
            builtIn("IERC173", "owner()", "transferOwnership(address)"),
            builtIn("IDiamondLoupe", "facets()", "facetFunctionSelectors(address)", "facetAddresses()", "facetAddress(bytes4)"),
            builtIn("IDiamondCut", "diamondCut((address,uint8,bytes4[])[],address,bytes)"));
    private static final KnownSignatures STANDARD_SET = new Builder(Map.of(), List.of())
            .addInterfaces(STANDARD_INTERFACES).addSignatures(List.of(TIME_LOCK)).build();

    private final Map<Selector, String> bySelector;
    private final List<AbiInterface> interfaces;

    private KnownSignatures(Map<Selector, String> bySelector, List<AbiInterface> interfaces) {
        this.bySelector = Collections.unmodifiableMap(new TreeMap<>(bySelector));
        this.interfaces = List.copyOf(interfaces);
    }

    /** The loupe, cut, ownership and ERC-165 functions, and Gemforce's time-locked cut functions. */
    public static KnownSignatures standard() {
        return STANDARD_SET;
    }

    /** A builder that starts from {@link #standard()}. */
    public static Builder builder() {
        return STANDARD_SET.toBuilder();
    }

    /** A builder that starts from these signatures and interfaces. */
    public Builder toBuilder() {
        return new Builder(bySelector, interfaces);
    }

    /** These signatures plus {@code signatures} (canonical form, e.g. {@code "mint(address,uint256)"}). */
    public KnownSignatures with(Collection<String> signatures) {
        return toBuilder().addSignatures(signatures).build();
    }

    /** The selector of a canonical signature: the first four bytes of its keccak-256. */
    public static Selector selectorOf(String signature) {
        return Selector.of(Hash.sha3String(signature).substring(0, 10));
    }

    /** The canonical signature of {@code selector}, if known. */
    @Override
    public Optional<String> apply(Selector selector) {
        return Optional.ofNullable(bySelector.get(selector));
    }

    /** How many selectors have a known signature. */
    public int size() {
        return bySelector.size();
    }

    /** The known signatures of a facet's selectors, in the facet's selector order (unknown ones left out). */
    public List<String> functions(Facet facet) {
        List<String> out = new ArrayList<>();
        for (Selector s : facet.selectors()) {
            String sig = bySelector.get(s);
            if (sig != null) {
                out.add(sig);
            }
        }
        return out;
    }

    /** Every ABI with at least one function, in the order added (the built-in ones first). */
    public List<AbiInterface> interfaces() {
        return interfaces;
    }

    /**
     * The ABIs whose every function {@code facet} serves, each with its ERC-165 interface id
     * ({@link AbiInterface#interfaceId()}); empty when none of the known ABIs is served whole.
     */
    public List<AbiInterface> interfacesOf(Facet facet) {
        Set<Selector> served = new HashSet<>(facet.selectors());
        return interfaces.stream().filter(i -> i.isServedBy(served)).toList();
    }

    @Override
    public String toString() {
        return "KnownSignatures[" + bySelector.size() + " selectors, " + interfaces.size() + " interfaces]";
    }

    private static AbiInterface builtIn(String name, String... signatures) {
        Map<Selector, String> f = new LinkedHashMap<>();
        for (String s : signatures) {
            f.put(selectorOf(s), s);
        }
        return new AbiInterface(name, "built-in", f);
    }

    /** Collects signatures and ABIs; {@link #build()} gives an immutable {@link KnownSignatures}. Not thread-safe. */
    public static final class Builder {
        private final Map<Selector, String> bySelector;
        private final List<AbiInterface> interfaces;
        private final Set<String> seen = new HashSet<>();

        private Builder(Map<Selector, String> bySelector, List<AbiInterface> interfaces) {
            this.bySelector = new TreeMap<>(bySelector);
            this.interfaces = new ArrayList<>();
            addInterfaces(interfaces);
        }

        /** Signatures in canonical form ({@code name(type,type)}, no spaces or parameter names). */
        public Builder addSignatures(Collection<String> signatures) {
            for (String sig : signatures) {
                bySelector.putIfAbsent(selectorOf(Objects.requireNonNull(sig, "signature")), sig);
            }
            return this;
        }

        /**
         * The ABIs of every {@code .json} file under {@code dir}, recursively: Foundry {@code out/}
         * and Hardhat {@code artifacts/} trees, solc's combined or standard JSON output, plain ABI
         * arrays. JSON objects with no ABI (manifests, Hardhat {@code .dbg.json}) are skipped.
         *
         * @throws InvalidAbiException naming the file, when {@code dir} is not a directory or a file
         *     is not JSON or holds a malformed ABI
         */
        public Builder addAbiDirectory(Path dir) {
            return addInterfaces(AbiFiles.readDirectory(Objects.requireNonNull(dir, "dir")));
        }

        /**
         * The ABIs of one JSON file (any of the shapes {@link #addAbiDirectory} reads).
         *
         * @throws InvalidAbiException naming the file, when it cannot be read, is not JSON, or holds no
         *     or a malformed ABI
         */
        public Builder addAbiFile(Path file) {
            return addInterfaces(AbiFiles.readFile(Objects.requireNonNull(file, "file")));
        }

        /** A file or a directory, as {@link #addAbiFile} or {@link #addAbiDirectory}. */
        public Builder addAbiPath(Path path) {
            return java.nio.file.Files.isDirectory(path) ? addAbiDirectory(path) : addAbiFile(path);
        }

        /**
         * An ABI given as JSON text: an array of entries, or an object with an {@code "abi"} field.
         *
         * @param name the interface's name, shown with its id
         * @throws InvalidAbiException when the text is not JSON or the ABI is malformed
         */
        public Builder addAbiJson(String name, String json) {
            return addInterfaces(List.of(AbiFiles.parse(Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(json, "json"))));
        }

        private Builder addInterfaces(Collection<AbiInterface> found) {
            for (AbiInterface i : found) {
                i.functions().forEach(bySelector::putIfAbsent);
                if (!i.functions().isEmpty() && seen.add(i.name() + " " + i.functions().keySet())) {
                    interfaces.add(i);
                }
            }
            return this;
        }

        public KnownSignatures build() {
            return new KnownSignatures(bySelector, interfaces);
        }
    }
}
