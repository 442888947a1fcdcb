package io.gemforce.sync.internal.abi;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.abi.datatypes.reflection.Parameterized;

/**
 * ABI encoding of Gemforce calls and event data with web3j's types: {@code diamondCut} and
 * {@code proposeDiamondCut} arguments, {@code DiamondCut} event data, and the factory's
 * {@code DiamondSettings}. For tools that send upgrades and for tests that build logs; the syncer
 * itself only decodes.
 */
public final class AbiEncoder {
    private AbiEncoder() {
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

    public static org.web3j.abi.datatypes.Address address(Address a) {
        return new org.web3j.abi.datatypes.Address(a.hex());
    }

    /** The {@code FacetCut[]} argument. */
    public static DynamicArray<CutStruct> cuts(List<FacetCut> cuts) {
        List<CutStruct> structs = new ArrayList<>();
        for (FacetCut c : cuts) {
            List<Bytes4> sels = new ArrayList<>();
            for (Selector s : c.selectors()) {
                int v = s.value();
                sels.add(new Bytes4(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}));
            }
            structs.add(new CutStruct(address(c.facetAddress()), new Uint8(c.action().code()),
                    new DynamicArray<>(Bytes4.class, sels)));
        }
        return new DynamicArray<>(CutStruct.class, structs);
    }

    /** The data of a {@code DiamondCut(FacetCut[], address, bytes)} log, 0x-prefixed. */
    public static String diamondCutData(List<FacetCut> cuts, Address init, byte[] calldata) {
        return "0x" + FunctionEncoder.encodeConstructor(List.of(cuts(cuts), address(init), new DynamicBytes(calldata)));
    }

    /** Calldata of {@code name(FacetCut[], address, bytes)}: {@code diamondCut} or {@code proposeDiamondCut}. */
    public static String cutCall(String name, List<FacetCut> cuts, Address init, byte[] calldata) {
        return call(name, List.of(cuts(cuts), address(init), new DynamicBytes(calldata)));
    }

    public static SettingsStruct settings(Address owner, Address factory, Address svg, String symbol, String name) {
        return new SettingsStruct(address(owner), address(factory), address(svg), new Utf8String(symbol), new Utf8String(name));
    }

    /** The data of a {@code DiamondCreated} log (the settings tuple), 0x-prefixed. */
    public static String settingsData(Address owner, Address factory, Address svg, String symbol, String name) {
        return "0x" + FunctionEncoder.encodeConstructor(List.of(settings(owner, factory, svg, symbol, name)));
    }

    /** Calldata of a function call. */
    @SuppressWarnings("rawtypes")
    public static String call(String name, List<Type> args) {
        return FunctionEncoder.encode(new Function(name, args, List.of()));
    }
}
