package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.protocol.AwsException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.eddy.dynamodb.expression.Items.item;
import static io.eddy.dynamodb.expression.Items.json;
import static io.eddy.dynamodb.expression.Items.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpdateTest {

    private static final String ITEM = "{'pk':{'S':'k'},'n':{'N':'10'},'s':{'S':'x'},'ss':{'SS':['a','b']},"
            + "'ns':{'NS':['1','2']},'l':{'L':[{'S':'l0'},{'S':'l1'},{'S':'l2'},{'S':'l3'}]},"
            + "'m':{'M':{'k':{'S':'v'},'deep':{'M':{'c':{'N':'1'}}}}}}";

    private static final String VALUES = "{':one':{'N':'1'},':v':{'S':'new'},':ss':{'SS':['b','c']},':ns':{'NS':['2','3']},"
            + "':list':{'L':[{'S':'x'}]},':empty':{'L':[]},':bs':{'BS':['AQ==']},':big':{'N':'9.9999999999999999999999999999999999999E+125'}}";

    private static Update parse(String expression) {
        return parse(expression, null);
    }

    private static Update parse(String expression, Map<String, String> names) {
        return new ExpressionContext(names, item(VALUES)).parseUpdate(expression, List.of("pk"));
    }

    private static String apply(String expression) {
        return json(parse(expression).apply(item(ITEM)));
    }

    private static String message(String expression) {
        try {
            parse(expression).apply(item(ITEM));
        } catch (AwsException e) {
            assertThat(e.type()).isEqualTo("com.amazon.coral.validate#ValidationException");
            return e.getMessage();
        }
        throw new AssertionError("expected an error for " + expression);
    }

    private static AttributeValue attribute(Map<String, AttributeValue> item, String name) {
        return item.get(name);
    }

    @Test
    void setsTopLevelAndNestedValues() {
        Map<String, AttributeValue> original = item(ITEM);
        Map<String, AttributeValue> updated = parse("SET s = :v, m.k = :v, m.deep.c = :one, added = :v").apply(original);
        assertThat(attribute(updated, "s")).isEqualTo(AttributeValue.s("new"));
        assertThat(json(updated)).contains("'m':{'M':{'k':{'S':'new'},'deep':{'M':{'c':{'N':'1'}}}}}");
        assertThat(attribute(updated, "added")).isEqualTo(AttributeValue.s("new"));
        assertThat(attribute(original, "s")).as("the original item is untouched").isEqualTo(AttributeValue.s("x"));
        assertThat(original).doesNotContainKey("added");
    }

    @Test
    void arithmeticAndFunctions() {
        assertThat(apply("SET n = n + :one")).contains("'n':{'N':'11'}");
        assertThat(apply("SET n = n - :one")).contains("'n':{'N':'9'}");
        assertThat(apply("SET n = :one - n")).contains("'n':{'N':'-9'}");
        assertThat(apply("SET c = if_not_exists(c, :one)")).contains("'c':{'N':'1'}");
        assertThat(apply("SET n = if_not_exists(n, :one)")).contains("'n':{'N':'10'}");
        assertThat(apply("SET c = if_not_exists(c, :one) + :one")).contains("'c':{'N':'2'}");
        assertThat(apply("SET l = list_append(l, :list)")).contains("{'S':'l3'},{'S':'x'}]");
        assertThat(apply("SET l = list_append(:list, l)")).contains("'l':{'L':[{'S':'x'},{'S':'l0'}");
        assertThat(apply("SET e = list_append(if_not_exists(e, :empty), :list)")).contains("'e':{'L':[{'S':'x'}]}");
    }

    @Test
    void operandsAreEvaluatedAgainstTheOriginalItem() {
        assertThat(apply("SET n = :one, kept = n")).contains("'n':{'N':'1'}").contains("'kept':{'N':'10'}");
    }

    @Test
    void listIndexes() {
        assertThat(apply("SET l[1] = :v")).contains("'l':{'L':[{'S':'l0'},{'S':'new'},{'S':'l2'},{'S':'l3'}]}");
        assertThat(apply("SET l[10] = :v")).contains("{'S':'l3'},{'S':'new'}]");
        assertThat(apply("REMOVE l[1], l[3]")).contains("'l':{'L':[{'S':'l0'},{'S':'l2'}]}");
        assertThat(apply("REMOVE l[3], l[1]")).contains("'l':{'L':[{'S':'l0'},{'S':'l2'}]}");
        assertThat(apply("SET l[2] = :v REMOVE l[0]")).contains("'l':{'L':[{'S':'l1'},{'S':'new'},{'S':'l3'}]}");
        assertThat(apply("REMOVE l[9]")).contains("{'S':'l3'}]");
    }

    @Test
    void remove() {
        assertThat(apply("REMOVE s, m.k, nothing, absent.deeper")).doesNotContain("'s':").doesNotContain("'k':")
                .contains("'deep'");
    }

    @Test
    void addAndDelete() {
        assertThat(apply("ADD n :one")).contains("'n':{'N':'11'}");
        assertThat(apply("ADD fresh :one")).contains("'fresh':{'N':'1'}");
        assertThat(apply("ADD ss :ss")).contains("'ss':{'SS':['a','b','c']}");
        assertThat(apply("ADD ns :ns")).contains("'ns':{'NS':['1','2','3']}");
        assertThat(apply("DELETE ss :ss")).contains("'ss':{'SS':['a']}");
        assertThat(apply("DELETE ns :ns")).contains("'ns':{'NS':['1']}");
        assertThat(apply("DELETE nothing :ss")).doesNotContain("nothing");
        Map<String, AttributeValue> emptied = new ExpressionContext(null, item("{':all':{'SS':['a','b']}}"))
                .parseUpdate("DELETE ss :all", List.of()).apply(item(ITEM));
        assertThat(emptied).doesNotContainKey("ss");
    }

    @Test
    void clausesInAnyOrderAndCase() {
        assertThat(apply("remove s set n = :one add ns :ns delete ss :ss"))
                .doesNotContain("'s':").contains("'n':{'N':'1'}").contains("'ns':{'NS':['1','2','3']}").contains("'ss':{'SS':['a']}");
    }

    @Test
    void runtimeErrors() {
        assertThat(message("SET n = nothing + :one"))
                .isEqualTo("The provided expression refers to an attribute that does not exist in the item");
        assertThat(message("SET n = s + :one")).isEqualTo("An operand in the update expression has an incorrect data type");
        assertThat(message("SET l = list_append(s, :list)")).isEqualTo("An operand in the update expression has an incorrect data type");
        assertThat(message("ADD s :one")).isEqualTo("An operand in the update expression has an incorrect data type");
        assertThat(message("ADD ss :ns")).isEqualTo("An operand in the update expression has an incorrect data type");
        assertThat(message("DELETE ss :ns")).isEqualTo("An operand in the update expression has an incorrect data type");
        assertThat(message("SET nothing.deeper = :v"))
                .isEqualTo("The document path provided in the update expression is invalid for update");
        assertThat(message("SET s.deeper = :v"))
                .isEqualTo("The document path provided in the update expression is invalid for update");
        assertThat(message("SET n = :big + :big")).startsWith("Number overflow");
        assertThat(message("SET n = n + :big")).isEqualTo("Attempting to store more than 38 significant digits in a Number");
    }

    @Test
    void staticOperandTypeErrors() {
        assertThat(message("ADD s :v")).isEqualTo("Invalid UpdateExpression: Incorrect operand type for operator or function; "
                + "operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND");
        assertThat(message("DELETE ns :one")).isEqualTo("Invalid UpdateExpression: Incorrect operand type for operator or "
                + "function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND");
        assertThat(message("SET l = list_append(l, :v)")).isEqualTo("Invalid UpdateExpression: Incorrect operand type for "
                + "operator or function; operator or function: list_append, operand type: S");
        assertThat(message("SET n = n + :v")).isEqualTo("Invalid UpdateExpression: Incorrect operand type for operator or "
                + "function; operator or function: +, operand type: S");
        assertThat(message("SET n = if_not_exists(:one, :one)")).isEqualTo("Invalid UpdateExpression: Operator or function "
                + "requires a document path; operator or function: if_not_exists");
        assertThat(message("SET n = list_append(:list)")).isEqualTo("Invalid UpdateExpression: Incorrect number of operands "
                + "for operator or function; operator or function: list_append, number of operands: 1");
        assertThat(message("SET n = size(l)")).isEqualTo("Invalid UpdateExpression: The function is not allowed in an "
                + "update expression; function: size");
        assertThat(message("SET n = nope(l)")).isEqualTo("Invalid UpdateExpression: Invalid function name; function: nope");
    }

    @Test
    void syntaxErrors() {
        assertThat(message("INVALID SYNTAX HERE"))
                .isEqualTo("Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
        assertThat(message("SET")).isEqualTo("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"");
        assertThat(message("SET a = ")).isEqualTo("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"= \"");
        assertThat(message("ADD n n")).isEqualTo("Invalid UpdateExpression: Syntax error; token: \"n\", near: \"n n\"");
        assertThat(message("")).isEqualTo("Invalid UpdateExpression: The expression can not be empty;");
        assertThat(message("SET s = :v SET n = :one"))
                .isEqualTo("Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
    }

    @Test
    void overlappingAndConflictingPaths() {
        assertThat(message("SET m = :v REMOVE m.k")).isEqualTo("Invalid UpdateExpression: Two document paths overlap with "
                + "each other; must remove or rewrite one of these paths; path one: [m], path two: [m, k]");
        assertThat(message("SET s = :v, s = :v")).contains("overlap").contains("path one: [s], path two: [s]");
        assertThat(message("SET l[0] = :v, l.k = :v")).isEqualTo("Invalid UpdateExpression: Two document paths conflict "
                + "with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, k]");
        assertThat(apply("SET l[0] = :v, l[1] = :v")).contains("[{'S':'new'},{'S':'new'},");
    }

    @Test
    void keyAttributesCannotBeUpdated() {
        assertThat(message("SET pk = :v"))
                .isEqualTo("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
        assertThatThrownBy(() -> parse("REMOVE #k", names("#k", "pk"))).hasMessageContaining("Cannot update attribute pk");
    }

    @Test
    void reservedWordsAndPlaceholders() {
        assertThat(message("SET status = :v")).isEqualTo(
                "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
        assertThat(message("SET s = :nope")).isEqualTo(
                "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope");
        assertThat(json(parse("SET #st = :v", names("#st", "status")).apply(item(ITEM)))).contains("'status':{'S':'new'}");
    }

    @Test
    void updatedPathsForReturnValues() {
        Update update = parse("SET m.k = :v, n = n + :one REMOVE s");
        Map<String, AttributeValue> before = item(ITEM);
        Map<String, AttributeValue> after = update.apply(before);
        Projection updated = Projection.of(update.paths());
        assertThat(json(updated.apply(before))).isEqualTo("{'m':{'M':{'k':{'S':'v'}}},'n':{'N':'10'},'s':{'S':'x'}}");
        assertThat(json(updated.apply(after))).isEqualTo("{'m':{'M':{'k':{'S':'new'}}},'n':{'N':'11'}}");
    }
}
