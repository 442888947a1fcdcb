package io.gemforce.sync.testkit;

import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.FacetCut;
import io.gemforce.sync.internal.abi.AbiEncoder;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;

/**
 * ABI encodings of the topics and data a log carries, for logs a test writes itself with
 * {@link ScriptedChain#emit} (e.g. a malformed {@code DiamondCut}, a facet's ERC-721
 * {@code Transfer}, a {@code DiamondCreated} from a contract that is not a factory). The scenario
 * methods of {@link ScriptedChain} use the same encodings.
 *
 * <p>Hex strings are lower case with a {@code 0x} prefix, except {@link #word}, which is the bare
 * 64 digits meant to be concatenated.
 */
public final class LogData {
    private LogData() {
    }

    /** An address as an indexed topic: 12 zero bytes, then the 20 address bytes. */
    public static String topic(Address address) {
        return "0x" + "0".repeat(24) + address.hex().substring(2);
    }

    /**
     * One 32-byte ABI word of a non-negative integer, as 64 hex digits without {@code 0x}.
     *
     * @throws IllegalArgumentException when {@code value} is negative or needs more than 256 bits
     */
    public static String word(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("not a uint256: " + value);
        }
        String h = value.toString(16);
        return "0".repeat(64 - h.length()) + h;
    }

    /** Log data made of uint256 words, e.g. {@code words(BigInteger.ONE)} for {@code Initialized(1)}. */
    public static String words(BigInteger... values) {
        StringBuilder sb = new StringBuilder("0x");
        for (BigInteger v : values) {
            sb.append(word(v));
        }
        return sb.toString();
    }

    /** The data of {@code DiamondCut(FacetCut[] diamondCut, address init, bytes calldata)}. */
    public static String diamondCut(List<FacetCut> cuts, Address init, byte[] calldata) {
        return AbiEncoder.diamondCutData(cuts, init, calldata);
    }

    /**
     * The data of the factory's {@code DiamondCreated}: Gemforce's
     * {@code DiamondSettings(address owner, address factory, address svgManager, string symbol, string name)}.
     */
    public static String diamondSettings(Address owner, Address factory, Address svgManager, String symbol,
            String name) {
        return AbiEncoder.settingsData(owner, factory, svgManager, symbol, name);
    }

    /** Bytes as {@code 0x}-prefixed lower-case hex. */
    public static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
