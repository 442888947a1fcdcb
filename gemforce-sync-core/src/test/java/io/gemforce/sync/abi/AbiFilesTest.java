package io.gemforce.sync.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gemforce.sync.ErrorCode;
import io.gemforce.sync.diamond.Address;
import io.gemforce.sync.diamond.Facet;
import io.gemforce.sync.diamond.Selector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ABIs read from every shape of file the builder accepts, and the errors bad files give. */
class AbiFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ARTIFACTS = Path.of("..", "contracts", "artifacts");
    private static final String ERC721 = """
            [{"type":"function","name":"balanceOf","inputs":[{"name":"owner","type":"address"}],"outputs":[{"type":"uint256"}]},
             {"type":"function","name":"ownerOf","inputs":[{"name":"id","type":"uint256"}]},
             {"type":"function","name":"safeTransferFrom","inputs":[{"type":"address"},{"type":"address"},{"type":"uint256"},{"type":"bytes"}]},
             {"type":"function","name":"safeTransferFrom","inputs":[{"type":"address"},{"type":"address"},{"type":"uint256"}]},
             {"type":"function","name":"transferFrom","inputs":[{"type":"address"},{"type":"address"},{"type":"uint256"}]},
             {"type":"function","name":"approve","inputs":[{"type":"address"},{"type":"uint256"}]},
             {"type":"function","name":"setApprovalForAll","inputs":[{"type":"address"},{"type":"bool"}]},
             {"type":"function","name":"getApproved","inputs":[{"type":"uint256"}]},
             {"type":"function","name":"isApprovedForAll","inputs":[{"type":"address"},{"type":"address"}]},
             {"type":"event","name":"Transfer","inputs":[{"type":"address","indexed":true},{"type":"address","indexed":true},{"type":"uint256","indexed":true}]},
             {"type":"error","name":"NotOwner","inputs":[]}]""";

    @TempDir
    Path dir;

    private Path write(String relative, String content) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    @Test
    void theProjectsArtifactsNameEveryFunctionTheyDeclare() throws IOException {
        KnownSignatures k = KnownSignatures.builder().addAbiDirectory(ARTIFACTS).build();
        int functions = 0;
        try (var files = Files.list(ARTIFACTS)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals("manifest.json")).toList()) {
                for (JsonNode e : JSON.readTree(f.toFile()).get("abi")) {
                    if (e.get("type").asText().equals("function")) {
                        Selector s = KnownSignatures.selectorOf(referenceSignature(e));
                        assertThat(k.apply(s)).as("%s in %s", e.get("name"), f).isPresent();
                        functions++;
                    }
                }
            }
        }
        assertThat(functions).isGreaterThan(40);
        assertThat(k.interfaces()).extracting(i -> i.name() + " " + i.interfaceId().hex())
                .contains("IERC165 0x01ffc9a7", "IERC173 0x7f5828d0", "IDiamondLoupe 0x48e2b093", "IDiamondCut 0x1f931c1c");
        assertThat(k.interfaces()).extracting(AbiInterface::name).contains("TestFacetA", "DiamondCutFacet")
                .doesNotContain("manifest", "LibDiamond");
    }

    /** Written out independently of AbiTypes, for the artifacts' simple types. */
    private static String referenceSignature(JsonNode e) {
        List<String> types = new ArrayList<>();
        for (JsonNode in : e.get("inputs")) {
            types.add(in.get("type").asText().startsWith("tuple") ? tuple(in) : in.get("type").asText());
        }
        return e.get("name").asText() + "(" + String.join(",", types) + ")";
    }

    private static String tuple(JsonNode in) {
        List<String> inner = new ArrayList<>();
        for (JsonNode c : in.get("components")) {
            inner.add(c.get("type").asText().startsWith("tuple") ? tuple(c) : c.get("type").asText());
        }
        return "(" + String.join(",", inner) + ")" + in.get("type").asText().substring(5);
    }

    @Test
    void nestedTuplesAreWrittenOutCanonically() {
        String offer = "{\"type\":\"tuple[]\",\"components\":[{\"type\":\"uint8\"},{\"type\":\"address\"},"
                + "{\"type\":\"uint256\"},{\"type\":\"uint256\"},{\"type\":\"uint256\"}]}";
        String consideration = "{\"type\":\"tuple[]\",\"components\":[{\"type\":\"uint8\"},{\"type\":\"address\"},"
                + "{\"type\":\"uint256\"},{\"type\":\"uint256\"},{\"type\":\"uint256\"},{\"type\":\"address\",\"internalType\":\"address payable\"}]}";
        String parameters = "{\"name\":\"parameters\",\"type\":\"tuple\",\"components\":[{\"type\":\"address\"},{\"type\":\"address\"},"
                + offer + "," + consideration + ",{\"type\":\"uint8\"},{\"type\":\"uint256\"},{\"type\":\"uint256\"},"
                + "{\"type\":\"bytes32\"},{\"type\":\"uint256\"},{\"type\":\"bytes32\"},{\"type\":\"uint256\"}]}";
        String fulfillOrder = "[{\"name\":\"fulfillOrder\",\"type\":\"function\",\"inputs\":[{\"name\":\"order\",\"type\":\"tuple\","
                + "\"internalType\":\"struct Order\",\"components\":[" + parameters + ",{\"name\":\"signature\",\"type\":\"bytes\"}]},"
                + "{\"name\":\"fulfillerConduitKey\",\"type\":\"bytes32\"}]}]";
        KnownSignatures k = KnownSignatures.builder().addAbiJson("Seaport", fulfillOrder).build();
        // Seaport's fulfillOrder, as published
        assertThat(k.apply(Selector.of("0xb3a34c4c"))).contains("fulfillOrder(((address,address,(uint8,address,uint256,"
                + "uint256,uint256)[],(uint8,address,uint256,uint256,uint256,address)[],uint8,uint256,uint256,bytes32,uint256,"
                + "bytes32,uint256),bytes),bytes32)");
    }

    @Test
    void aPlainAbiFileGivesItsInterfaceId() throws IOException {
        Path file = write("IERC721.json", ERC721);
        KnownSignatures k = KnownSignatures.builder().addAbiFile(file).build();
        AbiInterface erc721 = k.interfaces().stream().filter(i -> i.name().equals("IERC721")).findFirst().orElseThrow();
        assertThat(erc721.interfaceId()).isEqualTo(Selector.of("0x80ac58cd"));
        assertThat(erc721.functions()).hasSize(9).containsEntry(Selector.of("0xb88d4fde"),
                "safeTransferFrom(address,address,uint256,bytes)");
        assertThat(k.apply(KnownSignatures.selectorOf("Transfer(address,address,uint256)"))).as("events are not functions")
                .isEmpty();
        Address f = Address.of("0x00000000000000000000000000000000000000f1");
        List<Selector> all = new ArrayList<>(erc721.functions().keySet());
        assertThat(k.interfacesOf(new Facet(f, all))).contains(erc721);
        assertThat(k.interfacesOf(new Facet(f, all.subList(1, all.size())))).doesNotContain(erc721);
    }

    @Test
    void everyArtifactShapeIsRead() throws IOException {
        write("hardhat/artifacts/contracts/A.sol/A.json", "{\"_format\":\"hh-sol-artifact-1\",\"contractName\":\"A\","
                + "\"abi\":[{\"type\":\"function\",\"name\":\"a\",\"inputs\":[{\"type\":\"uint\"}]}],\"bytecode\":\"0x\"}");
        write("hardhat/artifacts/contracts/A.sol/A.dbg.json", "{\"_format\":\"hh-sol-dbg-1\",\"buildInfo\":\"../x.json\"}");
        write("foundry/out/B.sol/B.json", "{\"abi\":[{\"type\":\"function\",\"name\":\"b\",\"inputs\":[{\"type\":\"int\"},"
                + "{\"type\":\"fixed[2][]\"}]}],\"bytecode\":{\"object\":\"0x\"}}");
        write("combined.json", "{\"contracts\":{\"src/C.sol:C\":{\"abi\":\"[{\\\"type\\\":\\\"function\\\",\\\"name\\\":\\\"c\\\","
                + "\\\"inputs\\\":[{\\\"type\\\":\\\"byte\\\"}]}]\"}},\"version\":\"0.8.20\"}");
        write("build-info/1.json", "{\"output\":{\"contracts\":{\"src/D.sol\":{\"D\":{\"abi\":[{\"name\":\"d\","
                + "\"inputs\":[{\"type\":\"ufixed\"}]}]}}}}}");
        KnownSignatures k = KnownSignatures.builder().addAbiDirectory(dir).build();
        assertThat(k.apply(KnownSignatures.selectorOf("a(uint256)"))).contains("a(uint256)");
        assertThat(k.apply(KnownSignatures.selectorOf("b(int256,fixed128x18[2][])"))).contains("b(int256,fixed128x18[2][])");
        assertThat(k.apply(KnownSignatures.selectorOf("c(bytes1)"))).contains("c(bytes1)");
        assertThat(k.apply(KnownSignatures.selectorOf("d(ufixed128x18)"))).as("type defaults to function")
                .contains("d(ufixed128x18)");
        assertThat(k.interfaces()).extracting(AbiInterface::name).contains("A", "B", "C", "D");
    }

    @Test
    void aFileThatIsNotJsonIsATypedErrorNamingIt() throws IOException {
        write("good.json", ERC721);
        Path bad = write("sub/Broken.json", "{\"abi\": [ {\"type\":\"function\",");
        assertThatThrownBy(() -> KnownSignatures.builder().addAbiDirectory(dir))
                .isInstanceOfSatisfying(InvalidAbiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ABI);
                    assertThat(e.file()).contains(bad);
                    assertThat(e.getMessage()).contains(bad.toString()).contains("not valid JSON");
                });
    }

    @Test
    void malformedEntriesAreTypedErrorsNamingTheFileAndTheEntry() throws IOException {
        expectBad(write("t.json", "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"uint7\"}]}]"),
                "abi[0]", "unknown type 'uint7'");
        expectBad(write("n.json", "[{\"type\":\"event\",\"name\":\"E\"},{\"type\":\"function\",\"inputs\":[]}]"),
                "abi[1]", "without a valid name");
        expectBad(write("a.json", "{\"abi\": {\"not\": \"an array\"}}"), "\"abi\" is not an array");
        expectBad(write("c.json", "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"tuple[]\"}]}]"),
                "tuple without components");
        expectBad(write("s.json", "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"bytes33\"}]}]"),
                "unknown type 'bytes33'");
        expectBad(write("x.json", "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"uint256[01]\"}]}]"),
                "unknown type");
        expectBad(ARTIFACTS.resolve("manifest.json"), "no ABI in it");
        expectBad(dir.resolve("missing"), "cannot read");
    }

    private void expectBad(Path file, String... fragments) {
        assertThatThrownBy(() -> KnownSignatures.builder().addAbiFile(file))
                .isInstanceOfSatisfying(InvalidAbiException.class, e -> {
                    assertThat(e.file()).contains(file);
                    assertThat(e.getMessage()).startsWith(file.toString());
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    @Test
    void aDirectoryThatDoesNotExistIsATypedError() {
        assertThatThrownBy(() -> KnownSignatures.builder().addAbiDirectory(dir.resolve("nope")))
                .isInstanceOf(InvalidAbiException.class).hasMessageContaining("nope").hasMessageContaining("not a directory");
    }

    @Test
    void onASelectorClashTheFirstAbiWins() throws IOException {
        // transfer(address,uint256) and the clashing name from the 4byte directory share 0xa9059cbb
        write("1/First.json", "[{\"type\":\"function\",\"name\":\"transfer\",\"inputs\":[{\"type\":\"address\"},{\"type\":\"uint256\"}]}]");
        write("2/Second.json", "[{\"type\":\"function\",\"name\":\"many_msg_babbage\",\"inputs\":[{\"type\":\"bytes1\"}]}]");
        assertThat(KnownSignatures.selectorOf("many_msg_babbage(bytes1)")).isEqualTo(Selector.of("0xa9059cbb"));
        assertThat(KnownSignatures.builder().addAbiDirectory(dir).build().apply(Selector.of("0xa9059cbb")))
                .contains("transfer(address,uint256)");
    }
}
