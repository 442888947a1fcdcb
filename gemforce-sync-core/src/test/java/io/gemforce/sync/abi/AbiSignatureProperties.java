package io.gemforce.sync.abi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any parameter list, however deeply its tuples and arrays nest and whichever type aliases it uses,
 * gives the signature that a plain recursive reference writes out from the same tree.
 */
class AbiSignatureProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A parameter: an elementary type (as written, and canonical) or a tuple, with array suffixes. */
    record Param(String written, String canonical, List<Param> components, String arrays) {
        String reference() {
            String base = components == null ? canonical
                    : "(" + String.join(",", components.stream().map(Param::reference).toList()) + ")";
            return base + arrays;
        }

        ObjectNode json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("name", "p");
            n.put("internalType", "ignored");
            n.put("type", (components == null ? written : "tuple") + arrays);
            if (components != null) {
                ArrayNode c = n.putArray("components");
                components.forEach(p -> c.add(p.json()));
            }
            return n;
        }
    }

    @Provide
    Arbitrary<List<Param>> params() {
        return param(3).list().ofMaxSize(5);
    }

    private Arbitrary<Param> param(int depth) {
        Arbitrary<String> arrays = Arbitraries.of("", "[]", "[3]", "[][2]", "[1][]").withoutEdgeCases();
        Arbitrary<Param> elementary = Combinators.combine(elementaryTypes(), arrays)
                .as((t, a) -> new Param(t[0], t[1], null, a));
        if (depth == 0) {
            return elementary;
        }
        Arbitrary<Param> tuple = Combinators.combine(Arbitraries.lazy(() -> param(depth - 1)).list().ofMinSize(1).ofMaxSize(4),
                arrays).as((c, a) -> new Param(null, null, c, a));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, elementary), net.jqwik.api.Tuple.of(1, tuple));
    }

    /** {written, canonical}: aliases, every uintN/intN/bytesN width, and the rest. */
    private static Arbitrary<String[]> elementaryTypes() {
        Arbitrary<String[]> aliases = Arbitraries.of(new String[] {"uint", "uint256"}, new String[] {"int", "int256"},
                new String[] {"byte", "bytes1"}, new String[] {"fixed", "fixed128x18"},
                new String[] {"ufixed", "ufixed128x18"}, new String[] {"address", "address"}, new String[] {"bool", "bool"},
                new String[] {"string", "string"}, new String[] {"bytes", "bytes"}, new String[] {"function", "function"});
        Arbitrary<String[]> ints = Combinators.combine(Arbitraries.of("uint", "int"), Arbitraries.integers().between(1, 32))
                .as((p, n) -> new String[] {p + n * 8, p + n * 8});
        Arbitrary<String[]> bytes = Arbitraries.integers().between(1, 32).map(n -> new String[] {"bytes" + n, "bytes" + n});
        return Arbitraries.oneOf(aliases, ints, bytes);
    }

    @Property(tries = 300)
    void theSignatureIsTheCanonicalWritingOfTheTree(@ForAll("params") List<Param> params) throws Exception {
        ObjectNode fn = JSON.createObjectNode().put("type", "function").put("name", "f_1");
        ArrayNode inputs = fn.putArray("inputs");
        params.forEach(p -> inputs.add(p.json()));
        String expected = "f_1(" + String.join(",", params.stream().map(Param::reference).toList()) + ")";
        assertThat(AbiTypes.signature(JSON.readTree(fn.toString()))).isEqualTo(expected);
        KnownSignatures k = KnownSignatures.builder().addAbiJson("F", "[" + fn + "]").build();
        assertThat(k.apply(KnownSignatures.selectorOf(expected))).contains(expected);
        List<String> tokens = List.of(expected.substring(4, expected.length() - 1).replaceAll("\\[[0-9]*\\]", "")
                .split("[(),]+"));
        assertThat(tokens).doesNotContain("uint", "int", "byte", "fixed", "ufixed", "tuple");
    }
}
