package io.gemforce.sync.chain.web3j;

/**
 * HTTP tries of one JSON-RPC method (or batch key) on one provider with one outcome, from
 * {@link Web3jChainSource#rpcTries()}.
 *
 * @param provider scheme, host and port only: keys in URLs are never shown
 * @param outcome {@code ok}, or the {@code ErrorCode} of the failed tries
 */
public record RpcTries(String method, String provider, String outcome, long count) {
}
