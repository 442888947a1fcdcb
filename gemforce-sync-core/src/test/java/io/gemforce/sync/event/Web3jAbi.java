package io.gemforce.sync.event;

import io.gemforce.sync.internal.abi.AbiEncoder;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.diamond.Selector;
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
 * implementation the decoder tests use to build event data and to cross-check the production
 * decoder. (Scenario tests build logs with the testkit's {@code LogData}.)
 */
final class Web3jAbi {
    private Web3jAbi() {
    }

    static String encodeDiamondCut(List<FacetCut> cuts, Address init, byte[] calldata) {
        return AbiEncoder.diamondCutData(cuts, init, calldata);
    }

    static String encodeSettings(Address owner, Address factory, Address svg, String symbol, String name) {
        return AbiEncoder.settingsData(owner, factory, svg, symbol, name);
    }

    /** web3j's decoding of DiamondCut data: the oracle for the production decoder. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static List<FacetCut> decodeDiamondCutWithWeb3j(String data) {
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
}
