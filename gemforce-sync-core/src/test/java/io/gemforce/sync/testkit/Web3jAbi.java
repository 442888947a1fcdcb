package io.gemforce.sync.testkit;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.abi.datatypes.reflection.Parameterized;

/**
 * ABI encoding and decoding of the indexed events with web3j's types: the independent
 * implementation the tests use to build logs and to cross-check the production decoder.
 */
public final class Web3jAbi {
    private Web3jAbi() {
    }

    /** {@code (address facetAddress, uint8 action, bytes4[] functionSelectors)}. */
    public static class CutStruct extends DynamicStruct {
        public final org.web3j.abi.datatypes.Address facetAddress;
        public final Uint8 action;
        public final DynamicArray<Bytes4> functionSelectors;

        public CutStruct(org.web3j.abi.datatypes.Address facetAddress, Uint8 action,
                @Parameterized(type = Bytes4.class) DynamicArray<Bytes4> functionSelectors) {
            super(facetAddress, action, functionSelectors);
            this.facetAddress = facetAddress;
            this.action = action;
            this.functionSelectors = functionSelectors;
        }
    }

    /** Gemforce's {@code DiamondSettings(address owner, address factory, address svgManager, string symbol, string name)}. */
    public static class SettingsStruct extends DynamicStruct {
        public final org.web3j.abi.datatypes.Address owner;
        public final org.web3j.abi.datatypes.Address factory;
        public final org.web3j.abi.datatypes.Address svgManager;
        public final Utf8String symbol;
        public final Utf8String name;

        public SettingsStruct(org.web3j.abi.datatypes.Address owner, org.web3j.abi.datatypes.Address factory,
                org.web3j.abi.datatypes.Address svgManager, Utf8String symbol, Utf8String name) {
            super(owner, factory, svgManager, symbol, name);
            this.owner = owner;
            this.factory = factory;
            this.svgManager = svgManager;
            this.symbol = symbol;
            this.name = name;
        }
    }

    static org.web3j.abi.datatypes.Address w3(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    public static String encodeDiamondCut(List<FacetCut> cuts, Address init, byte[] calldata) {
        List<CutStruct> structs = new ArrayList<>();
        for (FacetCut c : cuts) {
            List<Bytes4> sels = new ArrayList<>();
            for (Selector s : c.selectors()) {
                sels.add(new Bytes4(new byte[] {(byte) (s.value() >>> 24), (byte) (s.value() >>> 16),
                        (byte) (s.value() >>> 8), (byte) s.value()}));
            }
            structs.add(new CutStruct(w3(c.facetAddress()), new Uint8(c.action().code()),
                    new DynamicArray<>(Bytes4.class, sels)));
        }
        List<Type> params = List.of(new DynamicArray<>(CutStruct.class, structs), w3(init), new DynamicBytes(calldata));
        return "0x" + FunctionEncoder.encodeConstructor(params);
    }

    public static String encodeSettings(Address owner, Address factory, Address svg, String symbol, String name) {
        return "0x" + FunctionEncoder.encodeConstructor(List.of(
                new SettingsStruct(w3(owner), w3(factory), w3(svg), new Utf8String(symbol), new Utf8String(name))));
    }

    public static String words(BigInteger... values) {
        StringBuilder sb = new StringBuilder("0x");
        for (BigInteger v : values) {
            sb.append(word(v));
        }
        return sb.toString();
    }

    public static String word(BigInteger v) {
        String h = v.toString(16);
        return "0".repeat(64 - h.length()) + h;
    }

    public static String topic(Address a) {
        return "0x" + "0".repeat(24) + a.hex().substring(2);
    }

    /** web3j's decoding of DiamondCut data: the oracle for the production decoder. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static List<FacetCut> decodeDiamondCutWithWeb3j(String data) {
        List<TypeReference<Type>> refs = (List) List.of(new TypeReference<DynamicArray<CutStruct>>() { },
                new TypeReference<org.web3j.abi.datatypes.Address>() { }, new TypeReference<DynamicBytes>() { });
        List<Type> out = FunctionReturnDecoder.decode(data, refs);
        List<FacetCut> cuts = new ArrayList<>();
        for (Object o : ((DynamicArray<?>) out.get(0)).getValue()) {
            CutStruct c = (CutStruct) o;
            List<Selector> sels = new ArrayList<>();
            for (Bytes4 b : c.functionSelectors.getValue()) {
                sels.add(Selector.of(b.getValue()));
            }
            cuts.add(new FacetCut(Address.of(c.facetAddress.getValue()),
                    FacetCut.Action.fromCode(c.action.getValue().intValue()), sels));
        }
        return cuts;
    }

    public static String hex(byte[] b) {
        return "0x" + HexFormat.of().formatHex(b);
    }
}
