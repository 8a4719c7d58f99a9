package io.eddy.dynamodb.partiql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.eddy.dynamodb.model.AttributeValue;
import io.eddy.protocol.AwsException;

class ParserTest {

    @Test
    void selectWithIndexProjectionWhereAndOrder() {
        Statement.Select select = (Statement.Select) Parser.parse(
                "SELECT a, \"b c\".d[2] FROM \"Orders\".\"ByStatus\" WHERE Status = ? AND Total > 10 ORDER BY Total DESC");
        assertThat(select.table()).isEqualTo("Orders");
        assertThat(select.index()).isEqualTo("ByStatus");
        assertThat(select.projection()).containsExactly(new Expr.Path(List.of("a")), new Expr.Path(List.of("b c", "d", 2)));
        assertThat(select.descending()).isTrue();
        assertThat(select.parameterCount()).isEqualTo(1);
        assertThat(select.where()).isInstanceOf(Expr.And.class);
    }

    @Test
    void insertValueWithNestedLiterals() {
        Statement.Insert insert = (Statement.Insert) Parser.parse(
                "insert into T value {'pk': 'a', 'n': -1.5e2, 'ok': true, 'nothing': null, 'l': [1, 'x'], 's': <<'a','b'>>, 'p': ?};");
        ExpressionWriter writer = new ExpressionWriter(List.of(AttributeValue.s("param")));
        AttributeValue.M item = (AttributeValue.M) writer.evaluate(insert.value());
        assertThat(item.value()).containsEntry("n", AttributeValue.n("-150"))
                .containsEntry("ok", AttributeValue.TRUE)
                .containsEntry("nothing", AttributeValue.NULL)
                .containsEntry("s", new AttributeValue.SS(List.of("a", "b")))
                .containsEntry("p", AttributeValue.s("param"));
    }

    @Test
    void updateTranslatesToAnUpdateExpression() {
        Statement.Update update = (Statement.Update) Parser.parse(
                "UPDATE T SET count = count + 1, tags = set_add(tags, <<'x'>>) REMOVE old WHERE pk = 'a' RETURNING MODIFIED NEW *");
        assertThat(update.returning()).isEqualTo("UPDATED_NEW");
        ExpressionWriter writer = new ExpressionWriter(List.of());
        assertThat(writer.update(update.sets(), update.removes())).isEqualTo("SET #n0 = #n0 + :v0 ADD #n1 :v1 REMOVE #n2");
        assertThat(writer.names()).isEqualTo(Map.of("#n0", "count", "#n1", "tags", "#n2", "old"));
    }

    @Test
    void conditionsTranslateToConditionExpressions() {
        Statement.Delete delete = (Statement.Delete) Parser.parse(
                "DELETE FROM T WHERE pk = 'a' AND (x IS MISSING OR y <> 3) AND NOT z IN [1, 2] AND begins_with(w, 'p')");
        ExpressionWriter writer = new ExpressionWriter(List.of());
        assertThat(writer.condition(delete.where())).isEqualTo(
                "(((#n0 = :v0) AND ((attribute_not_exists(#n1)) OR (#n2 <> :v1))) AND (NOT (#n3 IN (:v2, :v3)))) "
                        + "AND (begins_with(#n4, :v4))");
    }

    @Test
    void malformedStatementsAreValidationErrors() {
        assertThatThrownBy(() -> Parser.parse("SELECT FROM"))
                .isInstanceOfSatisfying(AwsException.class, e -> assertThat(e.getMessage())
                        .startsWith("Statement wasn't well formed, can't be processed: "));
        assertThatThrownBy(() -> Parser.parse("SELECT * FROM T WHERE a = 'unterminated"))
                .isInstanceOf(AwsException.class).hasMessageContaining("Unterminated string literal");
        assertThatThrownBy(() -> Parser.parse("UPDATE T WHERE a = 1")).isInstanceOf(AwsException.class);
    }
}
