package io.eddy.protocol.shape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.eddy.protocol.AwsException;

class ShapeValidatorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SERIALIZATION = "test#Serialization";
    static final String VALIDATION = "test#Validation";

    /** A small model in the form tools/input-shapes.py writes, exercising every kind of shape. */
    static final String MODEL = """
            {"operations": {"Put": "PutInput", "Nothing": null},
             "shapes": {
              "PutInput": {"type": "structure", "required": ["TableName", "Item"], "members": {
                "TableName": "TableArn", "Item": "Item", "Limit": "Limit", "Size": "Size", "Flag": "Flag",
                "Mode": "Mode", "Keys": "KeyList", "Tags": "TagList", "Names": "NameMap", "Groups": "GroupMap",
                "Data": "Data", "Ratio": "Ratio", "At": "At", "Schema": "Schema", "Attributes": "AttributeList"}},
              "TableArn": {"type": "string", "min": 1, "max": 1024},
              "TableName": {"type": "string", "min": 3, "max": 255, "pattern": "[a-zA-Z0-9_.-]+"},
              "Item": {"type": "map", "key": "AttributeName", "value": "Value"},
              "AttributeName": {"type": "string", "max": 8},
              "Value": {"type": "structure", "members": {"S": "Text", "L": "ValueList", "M": "Item"}},
              "ValueList": {"type": "list", "member": "Value"},
              "Text": {"type": "string"},
              "Limit": {"type": "integer", "min": 1, "max": 100},
              "Size": {"type": "long", "min": 1},
              "Flag": {"type": "boolean"},
              "Mode": {"type": "string", "enum": ["ONE", "TWO"]},
              "KeyList": {"type": "list", "min": 1, "max": 2, "member": "Item"},
              "TagList": {"type": "list", "member": "Tag"},
              "Tag": {"type": "structure", "required": ["Key"], "members": {"Key": "TagKey", "Value": "Text"}},
              "TagKey": {"type": "string", "min": 1, "max": 4},
              "NameMap": {"type": "map", "key": "Text", "value": "TagKey"},
              "GroupMap": {"type": "map", "min": 1, "key": "TableArn", "value": "TagList"},
              "Data": {"type": "blob"},
              "Ratio": {"type": "double"},
              "At": {"type": "timestamp"},
              "Schema": {"type": "list", "min": 1, "member": "Tag"},
              "AttributeList": {"type": "list", "member": "TagKey"}
             }}
            """;

    static ShapeModel model() {
        return ShapeModel.load(new ByteArrayInputStream(MODEL.getBytes(StandardCharsets.UTF_8)))
                .withAlternate("TableArn", "arn:", "TableName")
                .withMax("Schema", 2)
                .withEnumOrder("Mode", List.of("TWO", "ONE"))
                .withOpaqueRendering("Value")
                .withValueOmitted("KeyList");
    }

    final ShapeValidator validator = validator(ShapeValidator.Wording.CANNOT_BE_CONVERTED_TO);

    static ShapeValidator validator(ShapeValidator.Wording wording) {
        return new ShapeValidator(model(), "com.example.v1", wording,
                message -> new AwsException(400, SERIALIZATION, message),
                message -> new AwsException(400, VALIDATION, message));
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    AwsException failure(String body) throws Exception {
        JsonNode input = json(body);
        AwsException e = catchThrowableOfType(AwsException.class, () -> validator.validate("Put", input));
        assertThat(e).as(body).isNotNull();
        return e;
    }

    String serialization(String body) throws Exception {
        AwsException e = failure(body);
        assertThat(e.type()).as(body).isEqualTo(SERIALIZATION);
        return e.getMessage();
    }

    String validation(String body) throws Exception {
        AwsException e = failure(body);
        assertThat(e.type()).as(body).isEqualTo(VALIDATION);
        return e.getMessage();
    }

    static final String VALID = "'TableName':'tbl','Item':{'a':{'S':'x'}}";

    @Test
    void validRequestsPassAndUnknownOrNullMembersAreIgnored() throws Exception {
        for (String body : new String[] {
                "{" + VALID + "}",
                "{" + VALID + ",'Unknown':[1,{'x':true}],'Limit':null,'Tags':null}",
                "{'TableName':'arn:aws:dynamodb:us-east-1:1:table/t','Item':{}}",
                "{" + VALID + ",'Limit':100,'Size':1,'Flag':false,'Mode':'ONE','Keys':[{}],'Data':'AAEC',"
                        + "'Ratio':1.5,'At':1700000000,'Schema':[{'Key':'k'}],'Attributes':['a'],'Names':{'#n':'v'},"
                        + "'Groups':{'tbl':[{'Key':'k','Value':null}]}}",
                "{" + VALID + ",'Limit':7.9}",
                "{" + VALID + ",'Ratio':1e400}"}) {
            JsonNode input = json(body);
            assertThatCode(() -> validator.validate("Put", input)).as(body).doesNotThrowAnyException();
        }
        assertThatCode(() -> validator.validate("Unknown", json("{'x':1}"))).doesNotThrowAnyException();
        assertThatCode(() -> validator.validate("Nothing", json("{'x':1}"))).doesNotThrowAnyException();
    }

    @Test
    void scalarsOfTheWrongTypeAreSerializationErrors() throws Exception {
        assertThat(serialization("{'TableName':5}")).isEqualTo("NUMBER_VALUE cannot be converted to String");
        assertThat(serialization("{'TableName':5.5}")).isEqualTo("DECIMAL_VALUE cannot be converted to String");
        assertThat(serialization("{'TableName':true}")).isEqualTo("TRUE_VALUE cannot be converted to String");
        assertThat(serialization("{'TableName':false}")).isEqualTo("FALSE_VALUE cannot be converted to String");
        assertThat(serialization("{'TableName':[]}")).isEqualTo("Unrecognized collection type class java.lang.String");
        assertThat(serialization("{'TableName':{}}")).isEqualTo("Start of structure or map found where not expected");
        assertThat(serialization("{'Limit':'abc'}")).isEqualTo("STRING_VALUE cannot be converted to Integer");
        assertThat(serialization("{'Limit':'5'}")).isEqualTo("STRING_VALUE cannot be converted to Integer");
        assertThat(serialization("{'Limit':true}")).isEqualTo("TRUE_VALUE cannot be converted to Integer");
        assertThat(serialization("{'Limit':3000000000}")).isEqualTo("NUMBER_VALUE cannot be converted to Integer");
        assertThat(serialization("{'Limit':1e400}")).isEqualTo("DECIMAL_VALUE cannot be converted to Integer");
        assertThat(serialization("{'Size':-1e400}")).isEqualTo("DECIMAL_VALUE cannot be converted to Long");
        assertThat(serialization("{'Size':'1'}")).isEqualTo("STRING_VALUE cannot be converted to Long");
        assertThat(serialization("{'Size':[]}")).isEqualTo("Unrecognized collection type class java.lang.Long");
        assertThat(serialization("{'Flag':'true'}")).isEqualTo("Unexpected token received from parser");
        assertThat(serialization("{'Flag':1}")).isEqualTo("NUMBER_VALUE cannot be converted to Boolean");
        assertThat(serialization("{'Flag':0.5}")).isEqualTo("DECIMAL_VALUE cannot be converted to Boolean");
        assertThat(serialization("{'Ratio':'x'}")).isEqualTo("STRING_VALUE cannot be converted to Double");
        assertThat(serialization("{'At':false}")).isEqualTo("FALSE_VALUE cannot be converted to Date");
    }

    @Test
    void blobsMustBeBase64Strings() throws Exception {
        assertThat(serialization("{'Data':23}")).isEqualTo("only base-64-encoded strings are convertible to bytes");
        assertThat(serialization("{'Data':true}")).isEqualTo("only base-64-encoded strings are convertible to bytes");
        assertThat(serialization("{'Data':[]}")).isEqualTo("Unrecognized collection type class java.nio.ByteBuffer");
        assertThat(serialization("{'Data':'23456'}"))
                .isEqualTo("Base64 encoded length is expected a multiple of 4 bytes but found: 5");
        assertThat(serialization("{'Data':'=+/='}")).isEqualTo("Invalid last non-pad Base64 character dectected");
        assertThat(serialization("{'Data':'+/+='}")).isEqualTo("Invalid last non-pad Base64 character dectected");
    }

    @Test
    void collectionsOfTheWrongTypeDependOnWhereTheyStand() throws Exception {
        assertThat(serialization("{'Item':'x'}")).isEqualTo("Unexpected field type");
        assertThat(serialization("{'Item':[]}"))
                .isEqualTo("Unrecognized collection type java.util.Map<java.lang.String, com.example.v1.Value>");
        assertThat(serialization("{'Item':{'a':'x'}}")).isEqualTo("Unexpected value type in payload");
        assertThat(serialization("{'Item':{'a':[]}}")).isEqualTo("Unrecognized collection type class com.example.v1.Value");
        assertThat(serialization("{'Item':{'a':{'L':{}}}}")).isEqualTo("Start of structure or map found where not expected");
        assertThat(serialization("{'Item':{'a':{'L':5}}}")).isEqualTo("Unexpected field type");
        assertThat(serialization("{'Item':{'a':{'L':[7]}}}")).isEqualTo("Unexpected value type in payload");
        assertThat(serialization("{'Item':{'a':{'M':{'b':{'S':1}}}}}")).isEqualTo("NUMBER_VALUE cannot be converted to String");
        assertThat(serialization("{'Tags':{}}")).isEqualTo("Start of structure or map found where not expected");
        assertThat(serialization("{'Tags':[[]]}")).isEqualTo("Unrecognized collection type class com.example.v1.Tag");
        assertThat(serialization("{'Groups':{'g':'x'}}")).isEqualTo(ShapeValidator.NESTED_COLLECTION_MISMATCH);
        assertThat(serialization("{'Keys':[5]}")).isEqualTo(ShapeValidator.NESTED_COLLECTION_MISMATCH);
        assertThat(serialization("{'Groups':[]}")).isEqualTo(
                "Unrecognized collection type java.util.Map<java.lang.String, java.util.List<com.example.v1.Tag>>");
    }

    @Test
    void typesAreCheckedBeforeConstraints() throws Exception {
        assertThat(serialization("{'Limit':0,'Flag':'x'}")).isEqualTo("Unexpected token received from parser");
    }

    @Test
    void missingRequiredMembersAreReportedTogetherInModelOrder() throws Exception {
        assertThat(validation("{}")).isEqualTo("2 validation errors detected: "
                + "Value null at 'tableName' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'item' failed to satisfy constraint: Member must not be null");
        assertThat(validation("{'TableName':null,'Item':{}}")).isEqualTo("1 validation error detected: "
                + "Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void namesThatAreNotArnsMustBeValidNames() throws Exception {
        assertThat(validation("{'TableName':'','Item':{}}")).isEqualTo("1 validation error detected: "
                + "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
        assertThat(validation("{'TableName':'x','Item':{}}")).isEqualTo("1 validation error detected: "
                + "Value 'x' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3");
        assertThat(validation("{'TableName':'a;','Item':{}}")).isEqualTo("2 validation errors detected: "
                + "Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + "[a-zA-Z0-9_.-]+; Value 'a;' at 'tableName' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 3");
        String longName = "a".repeat(256);
        assertThat(validation("{'TableName':'" + longName + "','Item':{}}")).isEqualTo("1 validation error detected: "
                + "Value '" + longName + "' at 'tableName' failed to satisfy constraint: "
                + "Member must have length less than or equal to 255");
        String longArn = "arn:" + "a".repeat(1021);
        assertThat(validation("{'TableName':'" + longArn + "','Item':{}}")).endsWith(
                "Member must have length less than or equal to 1024");
    }

    @Test
    void rangesEnumsAndLengthsUseTheModelsBoundsAndAdjustments() throws Exception {
        assertThat(validation("{" + VALID + ",'Limit':0}")).isEqualTo("1 validation error detected: "
                + "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        assertThat(validation("{" + VALID + ",'Limit':101.7}")).isEqualTo("1 validation error detected: "
                + "Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        assertThat(validation("{" + VALID + ",'Size':0}")).contains("Value '0' at 'size'");
        assertThat(validation("{" + VALID + ",'Mode':'three'}")).isEqualTo("1 validation error detected: "
                + "Value 'three' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [TWO, ONE]");
        assertThat(validation("{" + VALID + ",'Schema':[]}")).isEqualTo("1 validation error detected: "
                + "Value '[]' at 'schema' failed to satisfy constraint: Member must have length greater than or equal to 1");
        assertThat(validation("{" + VALID + ",'Schema':[{'Key':'a'},{'Key':'b','Value':'v'},{'Key':'c'}]}"))
                .isEqualTo("1 validation error detected: Value '[Tag(key=a, value=null), Tag(key=b, value=v), "
                        + "Tag(key=c, value=null)]' at 'schema' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 2");
    }

    @Test
    void nestedMembersAreNamedByTheirPath() throws Exception {
        assertThat(validation("{" + VALID + ",'Tags':[{'Key':'ok'},{'Value':'v'},{'Key':'toolong'}]}"))
                .isEqualTo("2 validation errors detected: "
                        + "Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null; "
                        + "Value 'toolong' at 'tags.3.member.key' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 4");
        assertThat(validation("{" + VALID + ",'Groups':{'tbl':[{'Value':'v'}]}}")).isEqualTo("1 validation error detected: "
                + "Value null at 'groups.tbl.member.1.member.key' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void nullStructuresInCollectionsAreCheckedAsEmptyStructures() throws Exception {
        assertThat(validation("{" + VALID + ",'Tags':[null],'Groups':{'tbl':[null]}}")).isEqualTo("2 validation errors detected: "
                + "Value null at 'tags.1.member.key' failed to satisfy constraint: Member must not be null; "
                + "Value null at 'groups.tbl.member.1.member.key' failed to satisfy constraint: Member must not be null");
        assertThatCode(() -> validator.validate("Put", json("{" + VALID + ",'Groups':{'tbl':null},'Names':{'#a':null}}")))
                .doesNotThrowAnyException();
        assertThat(validation("{" + VALID + ",'Attributes':['a',null]}")).isEqualTo("1 validation error detected: "
                + "Value null at 'attributes.2.member' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void membersOfCollectionsAreReportedAgainstTheCollection() throws Exception {
        assertThat(validation("{" + VALID + ",'Attributes':['ok','toolong']}")).isEqualTo("1 validation error detected: "
                + "Value '[ok, toolong]' at 'attributes' failed to satisfy constraint: Member must satisfy constraint: "
                + "[Member must have length less than or equal to 4, Member must have length greater than or equal to 1]");
        assertThat(validation("{" + VALID + ",'Names':{'#a':''}}")).isEqualTo("1 validation error detected: "
                + "Value '{#a=}' at 'names' failed to satisfy constraint: Map value must satisfy constraint: "
                + "[Member must have length less than or equal to 4, Member must have length greater than or equal to 1]");
        assertThat(validation("{" + VALID + ",'Groups':{'a;':[]}}")).isEqualTo("1 validation error detected: "
                + "Value '{a;=[]}' at 'groups' failed to satisfy constraint: Map keys must satisfy constraint: "
                + "[Member must have length less than or equal to 255, Member must have length greater than or equal to 3, "
                + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]");
        assertThat(validation("{" + VALID + ",'Groups':{}}")).isEqualTo("1 validation error detected: "
                + "Value '{}' at 'groups' failed to satisfy constraint: Member must have length greater than or equal to 1");
        assertThat(validation("{'TableName':'tbl','Item':{'toolongname':{'S':'x'}}}")).isEqualTo(
                "1 validation error detected: Value '{toolongname=com.example.v1.Value@"
                        + Integer.toHexString(json("{'S':'x'}").hashCode()) + "}' at 'item' failed to satisfy constraint: "
                        + "Map keys must satisfy constraint: [Member must have length less than or equal to 8]");
    }

    @Test
    void someCollectionsAreLeftOutOfMessages() throws Exception {
        assertThat(validation("{" + VALID + ",'Keys':[{},{},{}]}")).isEqualTo("1 validation error detected: "
                + "Value at 'keys' failed to satisfy constraint: Member must have length less than or equal to 2");
    }

    @Test
    void atMostTenViolationsAreReported() throws Exception {
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 15; i++) tags.append(i == 0 ? "" : ",").append("{'Value':'v'}");
        String message = validation("{" + VALID + ",'Tags':[" + tags + "]}");
        assertThat(message).startsWith("10 validation errors detected: ");
        assertThat(message.split("; ")).hasSize(10);
    }

    @Test
    void sqsWordsConversionsItsOwnWay() throws Exception {
        ShapeValidator sqs = validator(ShapeValidator.Wording.CAN_NOT_BE_CONVERTED_TO_AN);
        AwsException e = catchThrowableOfType(AwsException.class, () -> sqs.checkTypes("Put", json("{'Limit':'5'}")));
        assertThat(e.getMessage()).isEqualTo("STRING_VALUE can not be converted to an Integer");
        assertThatCode(() -> sqs.checkTypes("Put", json("{'Limit':0}"))).doesNotThrowAnyException();
    }
}
