package io.gemforce.sync.testkit;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
import io.gemforce.sync.event.AbiEncoder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes4;

/**
 * ABI encoding and decoding of the indexed events with web3j's types: the independent
 * implementation the tests use to build logs and to cross-check the production decoder.
 */
public final class Web3jAbi {
    private Web3jAbi() {
    }

    public static String encodeDiamondCut(List<FacetCut> cuts, Address init, byte[] calldata) {
        return AbiEncoder.diamondCutData(cuts, init, calldata);
    }

    public static String encodeSettings(Address owner, Address factory, Address svg, String symbol, String name) {
        return AbiEncoder.settingsData(owner, factory, svg, symbol, name);
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
        List<TypeReference<Type>> refs = (List) List.of(new TypeReference<DynamicArray<AbiEncoder.CutStruct>>() { },
                new TypeReference<org.web3j.abi.datatypes.Address>() { }, new TypeReference<DynamicBytes>() { });
        List<Type> out = FunctionReturnDecoder.decode(data, refs);
        List<FacetCut> cuts = new ArrayList<>();
        for (Object o : ((DynamicArray<?>) out.get(0)).getValue()) {
            AbiEncoder.CutStruct c = (AbiEncoder.CutStruct) o;
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
        return "0x" + java.util.HexFormat.of().formatHex(b);
    }
}
