package io.gemforce.sync.parse;

import io.gemforce.sync.diamond.Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic Parse objectIds: the first 16 bytes of SHA-256 over the class name and the object's
 * natural key, as 32 lower-case hex digits. The same event, diamond, facet or checkpoint always maps
 * to the same objectId, which with the server's {@code allowCustomObjectId} makes a repeated create
 * fail with code 137 instead of writing a duplicate.
 */
public final class ObjectIds {
    private ObjectIds() {
    }

    /** A {@code Diamond}: (chainId, address). */
    public static String diamond(long chainId, Address address) {
        return hash(ParseSchema.DIAMOND, Long.toString(chainId), address.hex());
    }

    /**
     * A {@code Facet}: (chainId, diamond, facet address, occurrence), where occurrence counts earlier
     * facets of the same diamond with the same address (0 in any valid loupe answer).
     */
    public static String facet(long chainId, Address diamond, Address facet, int occurrence) {
        return hash(ParseSchema.FACET, Long.toString(chainId), diamond.hex(), facet.hex(), Integer.toString(occurrence));
    }

    /** A {@code DiamondEvent}: (chainId, uid). */
    public static String event(long chainId, String uid) {
        return hash(ParseSchema.DIAMOND_EVENT, Long.toString(chainId), uid);
    }

    /** A {@code SyncState}: (chainId, scope). */
    public static String syncState(long chainId, String scope) {
        return hash(ParseSchema.SYNC_STATE, Long.toString(chainId), scope);
    }

    private static String hash(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] b = p.getBytes(StandardCharsets.UTF_8);
                md.update((byte) (b.length >>> 24));
                md.update((byte) (b.length >>> 16));
                md.update((byte) (b.length >>> 8));
                md.update((byte) b.length);
                md.update(b);
            }
            byte[] d = md.digest();
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
