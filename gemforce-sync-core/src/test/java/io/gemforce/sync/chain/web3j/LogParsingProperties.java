package io.gemforce.sync.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gemforce.sync.chain.RawLog;
import io.gemforce.sync.diamond.Address;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.ObjectMapperFactory;

/**
 * The streaming {@code eth_getLogs} reader gives the same {@link RawLog}s as web3j's own {@link EthLog}
 * deserialisation (followed by the conversion the source used before), for random answers: 0 to 4
 * topics, data of any length, upper- and lower-case hex, members in any order, unknown members of
 * any JSON shape, {@code removed} absent, null, false or true, quantities as hex with or without
 * leading zeros.
 */
class LogParsingProperties {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper WEB3J = ObjectMapperFactory.getObjectMapper();

    /** What a log looks like on the wire, before shuffling: its members by name. */
    record WireLog(Map<String, JsonNode> members) {
    }

    @Property(tries = 300)
    void streamingParserEqualsWeb3j(@ForAll("answers") String json) throws Exception {
        List<RawLog> streamed = LogsParser.parse(new ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .logs();
        assertThat(streamed).isEqualTo(viaWeb3j(json));
    }

    @Property(tries = 300)
    void anAnswerOverTheCapIsSkippedWholeAndTheRestStillRead(@ForAll("answers") String json,
            @ForAll @IntRange(min = 0, max = 14) int cap) throws Exception {
        int objects = WEB3J.readTree(json).get("result").size();
        LogsParser.Answer a = LogsParser.parse(new ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                cap);
        assertThat(a.tooMany()).isEqualTo(objects > cap);
        if (objects > cap) {
            assertThat(a.logs()).isNull();
            assertThat(a.error()).isNull();
        } else {
            assertThat(a.logs()).isEqualTo(viaWeb3j(json));
        }
    }

    @Property(tries = 50)
    void errorsAreReadWhateverElseTheAnswerHolds(@ForAll("noise") List<JsonNode> noise,
            @ForAll @IntRange(min = -33000, max = 5000) int code, @ForAll("hexText") String message) throws Exception {
        ObjectNode answer = F.objectNode();
        for (int i = 0; i < noise.size(); i++) {
            answer.set("x" + i, noise.get(i));
        }
        answer.set("error", F.objectNode().put("code", code).put("message", message).set("data", noise.isEmpty()
                ? F.nullNode() : noise.get(0)));
        answer.put("id", 7).put("jsonrpc", "2.0");
        LogsParser.Answer a = LogsParser.parse(new ByteArrayInputStream(answer.toString().getBytes()));
        assertThat(a.logs()).isNull();
        assertThat(a.error()).isEqualTo(new RpcError(code, message));
    }

    /** web3j's {@code EthLog} and the conversion {@code Web3jChainSource.logs} used before the streaming reader. */
    private static List<RawLog> viaWeb3j(String json) throws Exception {
        EthLog r = WEB3J.readValue(json, EthLog.class);
        List<RawLog> out = new ArrayList<>();
        for (EthLog.LogResult<?> result : r.getLogs()) {
            if (!(result.get() instanceof Log l) || l.isRemoved()) {
                continue;
            }
            out.add(new RawLog(Address.of(lower(l.getAddress())), l.getTopics().stream().map(LogParsingProperties::lower).toList(),
                    l.getData() == null ? "0x" : lower(l.getData()), l.getBlockNumber().longValueExact(),
                    lower(l.getBlockHash()), lower(l.getTransactionHash()), l.getLogIndex().longValueExact()));
        }
        return out;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    @Provide
    Arbitrary<String> answers() {
        Arbitrary<List<WireLog>> logs = wireLog().list().ofMaxSize(12);
        return Combinators.combine(logs, noise(), Arbitraries.longs()).as((list, extra, seed) -> {
            Random rnd = new Random(seed);
            ArrayNode result = F.arrayNode();
            Map<String, JsonNode> previous = null;
            for (WireLog l : list) {
                Map<String, JsonNode> own = new java.util.LinkedHashMap<>(l.members());
                if (previous != null && rnd.nextBoolean()) {
                    // logs of one block and transaction: the same values again, sometimes in another case,
                    // sometimes a value that differs from the previous one in a single digit
                    for (String k : List.of("address", "blockHash", "transactionHash", "topics")) {
                        int how = rnd.nextInt(4);
                        if (how > 1) {
                            own.put(k, recased(previous.get(k), rnd));
                        } else if (how == 1) {
                            own.put(k, oneDigitOff(recased(previous.get(k), rnd), rnd));
                        }
                    }
                }
                previous = own;
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(own.entrySet());
                Collections.shuffle(members, rnd);
                ObjectNode o = F.objectNode();
                members.forEach(e -> o.set(e.getKey(), e.getValue()));
                result.add(o);
            }
            List<Map.Entry<String, JsonNode>> top = new ArrayList<>(List.of(Map.entry("jsonrpc", F.textNode("2.0")),
                    Map.entry("id", F.numberNode(rnd.nextInt(1000))), Map.entry("result", result)));
            for (int i = 0; i < extra.size(); i++) {
                top.add(Map.entry("extra" + i, extra.get(i)));
            }
            Collections.shuffle(top, rnd);
            ObjectNode answer = F.objectNode();
            top.forEach(e -> answer.set(e.getKey(), e.getValue()));
            return answer.toString();
        });
    }

    /** {@code v} (a hex string or an array of them) with each letter's case kept or flipped at random. */
    private static JsonNode recased(JsonNode v, Random rnd) {
        if (v.isArray()) {
            ArrayNode a = F.arrayNode();
            v.forEach(e -> a.add(recased(e, rnd)));
            return a;
        }
        StringBuilder b = new StringBuilder();
        for (char c : v.asText().toCharArray()) {
            b.append(c != 'x' && rnd.nextInt(3) == 0
                    ? (Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
        }
        return F.textNode(b.toString());
    }

    /** {@code v} (a hex string or an array of them) with one digit, anywhere after {@code 0x}, changed. */
    private static JsonNode oneDigitOff(JsonNode v, Random rnd) {
        if (v.isArray()) {
            ArrayNode a = F.arrayNode();
            v.forEach(e -> a.add(oneDigitOff(e, rnd)));
            return a;
        }
        char[] c = v.asText().toCharArray();
        int i = 2 + rnd.nextInt(c.length - 2);
        c[i] = Character.toLowerCase(c[i]) == 'f' ? '0' : Character.forDigit(Character.digit(c[i], 16) + 1, 16);
        return F.textNode(new String(c));
    }

    private Arbitrary<WireLog> wireLog() {
        Arbitrary<List<String>> topics = hex(32).list().ofMinSize(0).ofMaxSize(4);
        Arbitrary<String> data = Arbitraries.integers().between(0, 200).flatMap(LogParsingProperties::hex);
        Arbitrary<JsonNode> removed = Arbitraries.of(0, 1, 2, 3).map(k -> switch (k) {
            case 0 -> null; // absent
            case 1 -> F.nullNode();
            case 2 -> F.booleanNode(false);
            default -> F.booleanNode(true);
        });
        return Combinators.combine(hex(20), topics, data, quantity(1L << 40), hex(32), hex(32), quantity(100_000),
                Arbitraries.of(0, 1).flatMap(k -> k == 0 ? Arbitraries.just(List.<JsonNode>of()) : noise()))
                .flatAs((address, t, d, blockNumber, blockHash, txHash, logIndex, extra) -> removed.map(rm -> {
                    Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
                    m.put("address", F.textNode(address));
                    ArrayNode ts = F.arrayNode();
                    t.forEach(ts::add);
                    m.put("topics", ts);
                    m.put("data", F.textNode(d));
                    m.put("blockNumber", F.textNode(blockNumber));
                    m.put("blockHash", F.textNode(blockHash));
                    m.put("transactionHash", F.textNode(txHash));
                    m.put("logIndex", F.textNode(logIndex));
                    m.put("transactionIndex", F.textNode("0x0"));
                    if (rm != null) {
                        m.put("removed", rm);
                    }
                    for (int i = 0; i < extra.size(); i++) {
                        m.put("unknown" + i, extra.get(i));
                    }
                    return new WireLog(m);
                }));
    }

    /** {@code 0x} and {@code bytes} bytes of hex, each digit upper or lower case. */
    private static Arbitrary<String> hex(int bytes) {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(bytes * 2).map(s -> "0x" + s);
    }

    @Provide
    Arbitrary<String> hexText() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEF xyz:\"\\").ofMaxLength(40);
    }

    /** A hex quantity below {@code max}, in random case, sometimes with leading zeros. */
    private static Arbitrary<String> quantity(long max) {
        return Combinators.combine(Arbitraries.longs().between(0, max), Arbitraries.integers().between(0, 2),
                Arbitraries.of(true, false)).as((n, zeros, upper) -> {
                    String digits = Long.toHexString(n);
                    return "0x" + "0".repeat(zeros) + (upper ? digits.toUpperCase(Locale.ROOT) : digits);
                });
    }

    /** Unknown members: JSON values of every shape. */
    @Provide
    Arbitrary<List<JsonNode>> noise() {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(10).map(F::textNode),
                Arbitraries.longs().map(F::numberNode),
                Arbitraries.doubles().between(-1e9, 1e9).map(F::numberNode),
                Arbitraries.of(true, false).map(F::booleanNode),
                Arbitraries.just(F.nullNode()));
        Arbitrary<JsonNode> nested = Arbitraries.oneOf(leaf,
                leaf.list().ofMaxSize(3).map(l -> {
                    ArrayNode a = F.arrayNode();
                    l.forEach(a::add);
                    return a;
                }),
                leaf.list().ofMaxSize(3).map(l -> {
                    ObjectNode o = F.objectNode();
                    for (int i = 0; i < l.size(); i++) {
                        o.set("k" + i, l.get(i));
                    }
                    o.set("removed", F.booleanNode(true)); // a nested "removed" must not remove the log
                    return o;
                }));
        return nested.list().ofMaxSize(3);
    }
}
