package io.eddy.dynamodb.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.protocol.AwsException;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttributeValueJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static AttributeValue value(String text) {
        return AttributeValueJson.fromJson(json(text));
    }

    @Test
    void roundTripsEveryType() throws Exception {
        String item = "{'s':{'S':'x'},'n':{'N':'1.50'},'b':{'B':'AQI='},'ss':{'SS':['b','a']},"
                + "'ns':{'NS':['2','1E+1']},'bs':{'BS':['AQ==','Ag==']},'m':{'M':{'z':{'NULL':true},'a':{'BOOL':false}}},"
                + "'l':{'L':[{'S':''},{'L':[]},{'M':{}}]}}";
        Map<String, AttributeValue> decoded = AttributeValueJson.itemFromJson(json(item));
        String expected = "{'s':{'S':'x'},'n':{'N':'1.5'},'b':{'B':'AQI='},'ss':{'SS':['b','a']},"
                + "'ns':{'NS':['2','10']},'bs':{'BS':['AQ==','Ag==']},'m':{'M':{'z':{'NULL':true},'a':{'BOOL':false}}},"
                + "'l':{'L':[{'S':''},{'L':[]},{'M':{}}]}}";
        assertThat(AttributeValueJson.itemToJson(decoded).toString()).isEqualTo(json(expected).toString());

        StringWriter streamed = new StringWriter();
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(streamed)) {
            AttributeValueJson.writeItem(generator, decoded);
        }
        assertThat(streamed.toString()).isEqualTo(json(expected).toString());
    }

    @Test
    void requiresExactlyOneType() {
        assertThatThrownBy(() -> value("{}")).hasMessage(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        assertThatThrownBy(() -> value("{'S':'a','N':'1'}")).hasMessage(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        assertThat(value("{'S':'a','N':null}")).isEqualTo(AttributeValue.s("a"));
    }

    @Test
    void rejectsEmptySets() {
        assertThatThrownBy(() -> value("{'SS':[]}"))
                .hasMessage("One or more parameter values were invalid: An string set  may not be empty");
        assertThatThrownBy(() -> value("{'NS':[]}"))
                .hasMessage("One or more parameter values were invalid: An number set  may not be empty");
        assertThatThrownBy(() -> value("{'BS':[]}"))
                .hasMessage("One or more parameter values were invalid: Binary sets should not be empty");
    }

    @Test
    void allowsEmptyStringsInStringSets() {
        assertThat(value("{'SS':['']}")).isEqualTo(new AttributeValue.SS(java.util.List.of("")));
    }

    @Test
    void rejectsDuplicatesInSets() {
        assertThatThrownBy(() -> value("{'SS':['a','a']}"))
                .hasMessage("One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
        assertThatThrownBy(() -> value("{'NS':['1','1.0']}"))
                .hasMessage("One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates.");
        assertThatThrownBy(() -> value("{'BS':['AQ==','AQ==']}")).hasMessageContaining("contains duplicates");
    }

    @Test
    void nullFalseIsStoredAsNull() {
        assertThat(value("{'NULL':false}")).isEqualTo(AttributeValue.NULL);
        assertThatThrownBy(() -> value("{'NULL':'yes'}")).hasMessage("STRING_VALUE cannot be converted to Boolean");
    }

    @Test
    void validatesNumbers() {
        assertThatThrownBy(() -> value("{'N':'x'}")).hasMessage("The parameter cannot be converted to a numeric value: x");
        assertThatThrownBy(() -> value("{'NS':['1','y']}")).hasMessage("The parameter cannot be converted to a numeric value: y");
    }

    @Test
    void wrongJsonTypesAreSerializationErrors() {
        assertThatThrownBy(() -> value("{'S':5}")).isInstanceOfSatisfying(AwsException.class, e -> {
            assertThat(e.type()).isEqualTo("com.amazon.coral.service#SerializationException");
            assertThat(e.getMessage()).isEqualTo("NUMBER_VALUE cannot be converted to String");
        });
        assertThatThrownBy(() -> value("{'B':'!!'}")).isInstanceOfSatisfying(AwsException.class,
                e -> assertThat(e.type()).isEqualTo("com.amazon.coral.service#SerializationException"));
    }

    @Test
    void limitsNesting() {
        String ok = "{'S':'x'}";
        for (int i = 0; i < 31; i++) ok = "{'L':[" + ok + "]}";
        assertThat(value(ok)).isInstanceOf(AttributeValue.L.class);
        String tooDeep = "{'M':{'a':" + ok + "}}";
        String nestingTooDeep = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
                + "beyond supported limit";
        assertThatThrownBy(() -> value(tooDeep)).hasMessage(nestingTooDeep);
        assertThatThrownBy(() -> AttributeValueJson.expressionValuesFromJson(json("{':v':" + tooDeep + "}")))
                .hasMessage(nestingTooDeep);
    }

    @Test
    void expressionValuesNameTheKey() {
        assertThatThrownBy(() -> AttributeValueJson.expressionValuesFromJson(json("{':v':{'SS':[]}}")))
                .hasMessage("ExpressionAttributeValues contains invalid value: One or more parameter values were "
                        + "invalid: An string set  may not be empty for key :v");
    }
}
