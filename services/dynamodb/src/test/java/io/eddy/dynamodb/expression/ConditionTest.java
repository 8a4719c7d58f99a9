package io.eddy.dynamodb.expression;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.protocol.AwsException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.eddy.dynamodb.expression.Items.item;
import static io.eddy.dynamodb.expression.Items.names;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionTest {

    private static final Map<String, AttributeValue> ITEM = item("{'pk':{'S':'p1'},'n':{'N':'5'},'s':{'S':'hello'},"
            + "'b':{'B':'AQID'},'ss':{'SS':['x','y']},'ns':{'NS':['1','2']},'l':{'L':[{'S':'a'},{'N':'7'},{'M':{'c':{'S':'deep'}}}]},"
            + "'m':{'M':{'deepN':{'N':'3'},'list':{'L':[{'BOOL':true}]}}},'t':{'BOOL':true},'z':{'NULL':true},'status':{'S':'on'}}");

    private static final Map<String, AttributeValue> VALUES = item("{':five':{'N':'5'},':four':{'N':'4.0'},':six':{'N':'6'},"
            + "':hello':{'S':'hello'},':he':{'S':'he'},':x':{'S':'x'},':a':{'S':'a'},':seven':{'N':'7'},':S':{'S':'S'},"
            + "':N':{'N':'1'},':bin':{'B':'AQ=='},':set':{'SS':['y','x']},':deep':{'S':'deep'},':three':{'N':'3'},"
            + "':bad':{'S':'XX'},':t':{'BOOL':true},':NT':{'S':'N'}}");

    private static boolean eval(String expression) {
        return eval(expression, null);
    }

    private static boolean eval(String expression, Map<String, String> names) {
        ExpressionContext context = new ExpressionContext(names, VALUES);
        return context.parseCondition(expression, "ConditionExpression").test(ITEM);
    }

    private static AwsException parseError(String expression, Map<String, String> names) {
        try {
            new ExpressionContext(names, VALUES).parseCondition(expression, "ConditionExpression");
        } catch (AwsException e) {
            assertThat(e.type()).isEqualTo("com.amazon.coral.validate#ValidationException");
            return e;
        }
        throw new AssertionError("expected a ValidationException for " + expression);
    }

    private static String message(String expression) {
        return parseError(expression, null).getMessage();
    }

    @Test
    void comparators() {
        assertThat(eval("n = :five")).isTrue();
        assertThat(eval("n = :four")).isFalse();
        assertThat(eval("n <> :four")).isTrue();
        assertThat(eval("n < :six AND n <= :five AND n > :four AND n >= :five")).isTrue();
        assertThat(eval("s > :he")).isTrue();
        assertThat(eval(":he < s")).isTrue();
        assertThat(eval("ss = :set")).as("sets compare without order").isTrue();
        assertThat(eval("m.deepN = :three")).isTrue();
        assertThat(eval("l[1] = :seven")).isTrue();
        assertThat(eval("l[2].c = :deep")).isTrue();
        assertThat(eval("t = :t")).isTrue();
    }

    @Test
    void typeMismatchesAreFalseNotErrors() {
        assertThat(eval("n = :hello")).isFalse();
        assertThat(eval("n < :hello")).isFalse();
        assertThat(eval("s >= :five")).isFalse();
        assertThat(eval("t < :t")).isFalse();
        assertThat(eval("n <> :hello")).isTrue();
    }

    @Test
    void missingAttributes() {
        assertThat(eval("absent = :five")).isFalse();
        assertThat(eval("absent < :five")).isFalse();
        assertThat(eval("absent <> :five")).isTrue();
        assertThat(eval("m.nothing.deeper = :five")).isFalse();
        assertThat(eval("l[9] = :five")).isFalse();
        assertThat(eval("s.x = :five")).isFalse();
    }

    @Test
    void betweenAndIn() {
        assertThat(eval("n BETWEEN :four AND :six")).isTrue();
        assertThat(eval("n between :five and :five")).isTrue();
        assertThat(eval("n BETWEEN :six AND :seven")).isFalse();
        assertThat(eval("s BETWEEN :a AND :x")).isTrue();
        assertThat(eval("n BETWEEN :a AND :x")).isFalse();
        assertThat(eval("n IN (:four, :five)")).isTrue();
        assertThat(eval("n IN (:four, :six)")).isFalse();
        assertThat(eval("s IN (:hello)")).isTrue();
    }

    @Test
    void functions() {
        assertThat(eval("attribute_exists(pk) AND attribute_not_exists(nope)")).isTrue();
        assertThat(eval("attribute_exists(m.deepN) AND attribute_exists(l[2].c)")).isTrue();
        assertThat(eval("attribute_exists(z)")).as("NULL values exist").isTrue();
        assertThat(eval("attribute_type(s, :S) AND attribute_type(n, :NT)")).isTrue();
        assertThat(eval("attribute_type(s, :NT)")).isFalse();
        assertThat(message("attribute_type(s, :N)")).isEqualTo("Invalid ConditionExpression: Incorrect operand type for "
                + "operator or function; operator or function: attribute_type, operand type: N");
        assertThat(eval("attribute_type(s, :S)")).isTrue();
        assertThat(eval("begins_with(s, :he)")).isTrue();
        assertThat(eval("begins_with(s, :x)")).isFalse();
        assertThat(eval("begins_with(b, :bin)")).isTrue();
        assertThat(eval("begins_with(n, :he)")).isFalse();
        assertThat(eval("contains(s, :he)")).isTrue();
        assertThat(eval("contains(ss, :x)")).isTrue();
        assertThat(eval("contains(ns, :N)")).isTrue();
        assertThat(eval("contains(l, :a)")).isTrue();
        assertThat(eval("contains(l, :seven)")).isTrue();
        assertThat(eval("contains(n, :five)")).isFalse();
        assertThat(eval("size(s) = :five")).isTrue();
        assertThat(eval("size(l) = :three AND size(ss) < :three AND size(m) < :three")).isTrue();
        assertThat(eval("size(n) = :five")).as("numbers have no size").isFalse();
        assertThat(eval(":six > size(b)")).isTrue();
    }

    @Test
    void precedenceIsNotThenAndThenOr() {
        assertThat(eval("n = :four OR n = :five AND s = :hello")).isTrue();
        assertThat(eval("n = :five OR n = :four AND s = :x")).isTrue();
        assertThat(eval("(n = :five OR n = :four) AND s = :x")).isFalse();
        assertThat(eval("NOT n = :four AND s = :hello")).isTrue();
        assertThat(eval("NOT (n = :five AND s = :x)")).isTrue();
        assertThat(eval("not not attribute_exists(pk)")).isTrue();
    }

    @Test
    void expressionAttributeNames() {
        assertThat(eval("#s = :hello AND #st <> :x", names("#s", "s", "#st", "status"))).isTrue();
        assertThat(eval("#m.#i = :three", names("#m", "m", "#i", "deepN"))).isTrue();
    }

    @Test
    void dottedNamesInPlaceholdersAreOneAttribute() {
        Map<String, AttributeValue> item = item("{'a.b':{'S':'flat'},'a':{'M':{'b':{'S':'nested'}}}}");
        ExpressionContext context = new ExpressionContext(names("#ab", "a.b"), item("{':v':{'S':'flat'}}"));
        assertThat(context.parseCondition("#ab = :v", "ConditionExpression").test(item)).isTrue();
    }

    @Test
    void reservedWordsNeedPlaceholders() {
        assertThat(message("status = :x"))
                .isEqualTo("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
        assertThat(message("m.Size = :x"))
                .isEqualTo("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size");
        assertThat(ReservedWords.count()).isEqualTo(573);
    }

    @Test
    void undefinedPlaceholders() {
        assertThat(message("#nope = :x")).isEqualTo("Invalid ConditionExpression: An expression attribute name used in "
                + "the document path is not defined; attribute name: #nope");
        assertThat(message("n = :nope")).isEqualTo("Invalid ConditionExpression: An expression attribute value used in "
                + "expression is not defined; attribute value: :nope");
    }

    @Test
    void syntaxErrorsQuoteTokenAndNeighbours() {
        assertThat(message("n = = :five"))
                .isEqualTo("Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = :five\"");
        assertThat(message("n ="))
                .isEqualTo("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
        assertThat(message("attribute_type()"))
                .isEqualTo("Invalid ConditionExpression: Syntax error; token: \")\", near: \"()\"");
        assertThat(message("n = 'x'"))
                .isEqualTo("Invalid ConditionExpression: Syntax error; token: \"'\", near: \"= 'x\"");
        assertThat(message("n = :five extra"))
                .isEqualTo("Invalid ConditionExpression: Syntax error; token: \"extra\", near: \":five extra\"");
        assertThat(message("n")).isEqualTo("Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"n\"");
        assertThat(message("l[x] = :a")).isEqualTo("Invalid ConditionExpression: Syntax error; token: \"x\", near: \"[x]\"");
    }

    @Test
    void syntaxErrorsComeBeforeSemanticErrors() {
        assertThat(message("status = = :x")).contains("Syntax error");
    }

    @Test
    void emptyExpression() {
        assertThat(message("")).isEqualTo("Invalid ConditionExpression: The expression can not be empty;");
        assertThat(message("  ")).isEqualTo("Invalid ConditionExpression: The expression can not be empty;");
    }

    @Test
    void redundantParentheses() {
        assertThat(message("((attribute_exists(pk)))"))
                .isEqualTo("Invalid ConditionExpression: The expression has redundant parentheses;");
        assertThat(eval("(attribute_exists(pk) AND (attribute_exists(n)))")).isTrue();
        assertThat(eval("(attribute_exists(pk)) AND (attribute_exists(n))")).isTrue();
    }

    @Test
    void functionValidation() {
        assertThat(message("foo(n)")).isEqualTo("Invalid ConditionExpression: Invalid function name; function: foo");
        assertThat(message("SIZE(n) = :five")).isEqualTo("Invalid ConditionExpression: Invalid function name; function: SIZE");
        assertThat(message("attribute_exists(n, s)")).isEqualTo("Invalid ConditionExpression: Incorrect number of operands "
                + "for operator or function; operator or function: attribute_exists, number of operands: 2");
        assertThat(message("attribute_exists(:five)")).isEqualTo("Invalid ConditionExpression: Operator or function "
                + "requires a document path; operator or function: attribute_exists");
        assertThat(message("begins_with(s, :five)")).isEqualTo("Invalid ConditionExpression: Incorrect operand type for "
                + "operator or function; operator or function: begins_with, operand type: N");
        assertThat(message("attribute_type(s, :bad)")).startsWith("Invalid ConditionExpression: Invalid attribute type name found; type: XX");
        assertThat(message("size(n)")).isEqualTo("Invalid ConditionExpression: The function is not allowed to be used "
                + "this way in an expression; function: size");
        assertThat(message("n = attribute_exists(s)")).isEqualTo("Invalid ConditionExpression: The function is not "
                + "allowed to be used this way in an expression; function: attribute_exists");
        assertThat(parseError("contains(#a, #a)", names("#a", "data")).getMessage()).isEqualTo("Invalid ConditionExpression: "
                + "The first operand must be distinct from the remaining operands for this operator or function; "
                + "operator: contains, first operand: [data]");
        assertThat(message("n = n")).contains("first operand: [n]");
    }

    @Test
    void betweenValidation() {
        assertThat(message("n BETWEEN :six AND :five")).isEqualTo("Invalid ConditionExpression: The BETWEEN operator "
                + "requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: "
                + "{N:6}, upper bound operand: AttributeValue: {N:5}");
        assertThat(message("n BETWEEN :five AND :x")).isEqualTo("Invalid ConditionExpression: The BETWEEN operator "
                + "requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:5}, "
                + "upper bound operand: AttributeValue: {S:x}");
    }

    @Test
    void inAcceptsAtMost100Operands() {
        String many = String.join(", ", java.util.Collections.nCopies(101, ":five"));
        assertThat(message("n IN (" + many + ")"))
                .isEqualTo("Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101");
    }

    @Test
    void parameterNameAppearsInMessages() {
        assertThatThrownBy(() -> ExpressionContext.empty().parseCondition("a = ", "FilterExpression"))
                .hasMessageStartingWith("Invalid FilterExpression: Syntax error");
    }
}
