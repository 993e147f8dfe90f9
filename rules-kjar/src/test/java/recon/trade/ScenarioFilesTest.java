package recon.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.recon.rules.Mismatch;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kie.api.KieServices;
import org.kie.api.definition.type.FactField;
import org.kie.api.definition.type.FactType;

/**
 * Every scenario file of the kjar ({@code recon/trade/scenarios/*.scenario.json}) run on the
 * {@link Scenario} harness. The files are in the format of the service's mock-test tool
 * ({@code POST /api/rules/test}); they ship inside the kjar, and the service runs them again before
 * it activates the version. Times: {@code at} in seconds after the scenario's start; a record's
 * event-time field defaults to {@code at}, and a time field may be given as an ISO instant.
 */
class ScenarioFilesTest {

    private static final Path FOLDER = Path.of("src/main/resources/recon/trade/scenarios");

    @TestFactory
    Stream<DynamicTest> everyScenarioFileHolds() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(FOLDER)) {
            files = list.filter(p -> p.toString().endsWith(".scenario.json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> run(file)));
    }

    private static void run(Path file) throws IOException {
        JsonNode scenario = new ObjectMapper().readTree(file.toFile());
        try (Scenario session = Scenario.trade()) {
            int n = 0;
            for (JsonNode step : scenario.get("steps")) {
                n++;
                double at = step.has("at") ? step.get("at").asDouble() : session.now();
                if (step.has("insert") || step.has("update")) {
                    String type = step.has("insert") ? step.get("insert").asText() : step.get("update").asText();
                    Map<String, Object> fields = fields(type, step.get("fields"), at);
                    session.advanceTo(at);
                    if (step.has("insert")) {
                        session.insert(type, fields);
                    } else {
                        session.update(type, fields);
                    }
                } else if (step.has("delete")) {
                    String type = step.get("delete").asText();
                    session.advanceTo(at);
                    session.delete(type, fields(type, step.get("fields"), at));
                } else {
                    session.advanceTo(at);
                }
                if (step.has("expect")) {
                    TreeSet<String> expected = new TreeSet<>();
                    step.get("expect").forEach(e -> expected.add(e.asText().trim()));
                    TreeSet<String> open = new TreeSet<>();
                    for (Mismatch m : session.mismatches()) {
                        open.add(m.getType() + " " + m.getKey());
                    }
                    assertThat(open).as("%s, step %d (at %s s): open mismatches", scenario.path("name").asText(file.toString()), n, at)
                            .isEqualTo(expected);
                }
            }
        }
    }

    /** The record's fields converted to the declared types; the event-time field defaults to the step's time. */
    private static Map<String, Object> fields(String type, JsonNode json, double at) {
        FactType factType = KieServices.get().getKieClasspathContainer().getKieBase("trade").getFactType("recon.trade", type);
        String timestamp = String.valueOf(factType.getMetaData().get("timestamp"));
        Map<String, Object> fields = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            FactField field = factType.getField(name);
            if (field == null) {
                throw new IllegalArgumentException(type + " has no field '" + name + "'");
            }
            JsonNode value = json.get(name);
            Class<?> cls = field.getType();
            if (cls == BigDecimal.class) {
                fields.put(name, new BigDecimal(value.asText()));
            } else if (cls == long.class || cls == Long.class) {
                fields.put(name, value.isNumber() ? value.asLong() : Instant.parse(value.asText()).toEpochMilli());
            } else {
                fields.put(name, value.asText());
            }
        }
        fields.putIfAbsent(timestamp, Scenario.at(at));
        return fields;
    }
}
