package io.gemforce.sync.chain.web3j;

import java.net.URI;
import java.util.List;

/**
 * Keeps RPC credentials out of logs and exceptions. Providers put keys in the path
 * ({@code /v2/KEY}, {@code /v3/KEY}), the query ({@code ?apikey=}) or the user info; only the
 * scheme, host and port are ever shown.
 */
final class Redaction {
    private Redaction() {
    }

    /** {@code https://host[:port]/…} for display. */
    static String redact(String url) {
        try {
            URI u = URI.create(url);
            String host = u.getHost() == null ? "?" : u.getHost();
            String port = u.getPort() < 0 ? "" : ":" + u.getPort();
            boolean more = (u.getRawPath() != null && u.getRawPath().length() > 1) || u.getRawQuery() != null
                    || u.getRawUserInfo() != null;
            return u.getScheme() + "://" + host + port + (more ? "/…" : "");
        } catch (RuntimeException e) {
            return "<rpc url>";
        }
    }

    /** {@code text} with every URL, path, query and user info of {@code urls} replaced. */
    static String scrub(String text, List<String> urls) {
        if (text == null) {
            return "";
        }
        String out = text;
        for (String url : urls) {
            out = out.replace(url, redact(url));
            try {
                URI u = URI.create(url);
                for (String secret : new String[] {u.getRawPath(), u.getRawQuery(), u.getRawUserInfo()}) {
                    if (secret != null && secret.length() > 1) {
                        out = out.replace(secret, "…");
                        String trimmed = secret.startsWith("/") ? secret.substring(1) : secret;
                        if (trimmed.length() >= 6) {
                            out = out.replace(trimmed, "…");
                        }
                        for (String part : secret.split("[/&=?:@]")) {
                            if (part.length() >= 12) {
                                out = out.replace(part, "…");
                            }
                        }
                    }
                }
            } catch (RuntimeException ignored) {
                // keep what was replaced
            }
        }
        return out;
    }
}
