package io.eddy.it.dynamodb;

import static io.eddy.it.dynamodb.TablesTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementErrorCodeEnum;
import software.amazon.awssdk.services.dynamodb.model.BatchStatementRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DuplicateItemException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ExecuteStatementResponse;
import software.amazon.awssdk.services.dynamodb.model.ExecuteTransactionResponse;
import software.amazon.awssdk.services.dynamodb.model.ParameterizedStatement;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class PartiqlTest {

    static Eddy eddy;
    static DynamoDbClient ddb;

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(int v) {
        return AttributeValue.fromN(Integer.toString(v));
    }

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        ddb = Clients.dynamo(eddy);
        ddb.createTable(TablesTest.singleTable("Music").build());
        for (int i = 1; i <= 9; i++) {
            String statement = "INSERT INTO Music VALUE {'PK': 'artist#1', 'SK': 'song#" + i + "', 'Plays': " + (i * 10)
                    + ", 'Tags': <<'rock', 'live'>>}";
            ddb.executeStatement(r -> r.statement(statement));
        }
        ddb.executeStatement(r -> r.statement("INSERT INTO \"Music\" VALUE {'PK': ?, 'SK': ?, 'Plays': ?}")
                .parameters(s("artist#2"), s("song#1"), n(5)));
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    @Test
    void insertedItemsAreReadableThroughBothApis() {
        Map<String, AttributeValue> item = ddb.getItem(r -> r.tableName("Music")
                .key(Map.of("PK", s("artist#1"), "SK", s("song#3")))).item();
        assertThat(item).containsEntry("Plays", n(30));
        assertThat(item.get("Tags").ss()).containsExactlyInAnyOrder("rock", "live");
        ExecuteStatementResponse one = ddb.executeStatement(r -> r.statement(
                "SELECT SK, Plays FROM Music WHERE PK = ? AND SK = ?").parameters(s("artist#2"), s("song#1")));
        assertThat(one.items()).containsExactly(Map.of("SK", s("song#1"), "Plays", n(5)));
    }

    @Test
    void duplicateInsertIsRejected() {
        DuplicateItemException e = catchThrowableOfType(DuplicateItemException.class, () -> ddb.executeStatement(r -> r
                .statement("INSERT INTO Music VALUE {'PK': 'artist#1', 'SK': 'song#1'}")));
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Duplicate primary key exists in table");
    }

    @Test
    void selectWithKeyRangeOrderAndFilter() {
        ExecuteStatementResponse range = ddb.executeStatement(r -> r.statement(
                "SELECT SK FROM Music WHERE PK = 'artist#1' AND SK BETWEEN 'song#2' AND 'song#4' ORDER BY SK DESC"));
        assertThat(range.items()).extracting(i -> i.get("SK").s()).containsExactly("song#4", "song#3", "song#2");
        ExecuteStatementResponse filtered = ddb.executeStatement(r -> r.statement(
                "SELECT * FROM Music WHERE PK = 'artist#1' AND Plays >= 70 AND contains(Tags, 'live')"));
        assertThat(filtered.items()).extracting(i -> i.get("SK").s()).containsExactly("song#7", "song#8", "song#9");
        ExecuteStatementResponse scanned = ddb.executeStatement(r -> r.statement(
                "SELECT PK FROM Music WHERE Plays < 15"));
        assertThat(scanned.items()).extracting(i -> i.get("PK").s()).containsExactlyInAnyOrder("artist#1", "artist#2");
        ExecuteStatementResponse in = ddb.executeStatement(r -> r.statement(
                "SELECT PK FROM Music WHERE PK IN ['artist#2', 'artist#9'] AND Plays IS NOT MISSING"));
        List<String> pks = new ArrayList<>();
        ExecuteStatementResponse page = in;
        while (true) {
            page.items().forEach(i -> pks.add(i.get("PK").s()));
            if (page.nextToken() == null) break;
            String token = page.nextToken();
            page = ddb.executeStatement(r -> r.statement("SELECT PK FROM Music WHERE PK IN ['artist#2', 'artist#9'] "
                    + "AND Plays IS NOT MISSING").nextToken(token));
        }
        assertThat(pks).containsExactly("artist#2");
    }

    @Test
    void limitAndNextTokenPage() {
        List<String> sks = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String next = token;
            ExecuteStatementResponse page = ddb.executeStatement(r -> r.statement("SELECT SK FROM Music WHERE PK = 'artist#1'")
                    .limit(4).nextToken(next));
            page.items().forEach(i -> sks.add(i.get("SK").s()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(sks).hasSize(9).isSorted();
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void updateAndDeleteNeedTheFullKey() {
        ddb.executeStatement(r -> r.statement("INSERT INTO Music VALUE {'PK': 'u', 'SK': '1', 'Plays': 1, 'Old': 'x'}"));
        ExecuteStatementResponse updated = ddb.executeStatement(r -> r.statement(
                "UPDATE Music SET Plays = Plays + 1 SET Label = ? REMOVE Old WHERE PK = 'u' AND SK = '1' RETURNING ALL NEW *")
                .parameters(s("indie")));
        assertThat(updated.items()).singleElement().satisfies(i -> assertThat(i).containsEntry("Plays", n(2))
                .containsEntry("Label", s("indie")).doesNotContainKey("Old"));
        ddb.executeStatement(r -> r.statement("UPDATE Music SET Tags = set_add(Tags, <<'x'>>) WHERE PK = 'u' AND SK = '1'"));
        assertThat(ddb.getItem(r -> r.tableName("Music").key(Map.of("PK", s("u"), "SK", s("1")))).item().get("Tags").ss())
                .containsExactly("x");
        assertThat(catchThrowableOfType(ConditionalCheckFailedException.class, () -> ddb.executeStatement(r -> r.statement(
                "UPDATE Music SET Plays = 0 WHERE PK = 'u' AND SK = 'missing'")))).isNotNull();
        assertThat(catchThrowableOfType(ConditionalCheckFailedException.class, () -> ddb.executeStatement(r -> r.statement(
                "UPDATE Music SET Plays = 0 WHERE PK = 'u' AND SK = '1' AND Plays > 100")))).isNotNull();
        assertError(() -> ddb.executeStatement(r -> r.statement("UPDATE Music SET Plays = 0 WHERE PK = 'u'")),
                DynamoDbException.class, "ValidationException",
                "Where clause does not contain a mandatory equality on all key attributes");
        ExecuteStatementResponse deleted = ddb.executeStatement(r -> r.statement(
                "DELETE FROM Music WHERE PK = 'u' AND SK = '1' RETURNING ALL OLD *"));
        assertThat(deleted.items()).singleElement().satisfies(i -> assertThat(i).containsEntry("Plays", n(2)));
        assertThat(ddb.getItem(r -> r.tableName("Music").key(Map.of("PK", s("u"), "SK", s("1")))).hasItem()).isFalse();
    }

    @Test
    void malformedStatementsAndParameterMismatch() {
        assertThat(catchThrowableOfType(DynamoDbException.class, () -> ddb.executeStatement(r -> r.statement("SELEC * FROM Music")))
                .awsErrorDetails().errorMessage()).startsWith("Statement wasn't well formed, can't be processed:");
        assertError(() -> ddb.executeStatement(r -> r.statement("SELECT * FROM Music WHERE PK = ?")),
                DynamoDbException.class, "ValidationException", "Number of parameters in request and statement don't match.");
        assertError(() -> ddb.executeStatement(r -> r.statement("SELECT * FROM Nowhere WHERE PK = 'x'")),
                software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class, "ResourceNotFoundException",
                "Requested resource not found");
    }

    @Test
    void batchExecuteReportsErrorsPerStatement() {
        BatchExecuteStatementResponse writes = ddb.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("INSERT INTO Music VALUE {'PK': 'b', 'SK': '1'}").build(),
                BatchStatementRequest.builder().statement("INSERT INTO Music VALUE {'PK': 'artist#1', 'SK': 'song#1'}").build(),
                BatchStatementRequest.builder().statement("UPDATE Music SET x = 1 WHERE PK = 'nope' AND SK = 'nope'").build()));
        assertThat(writes.responses()).hasSize(3);
        assertThat(writes.responses().get(0).error()).isNull();
        assertThat(writes.responses().get(1).error().code()).isEqualTo(BatchStatementErrorCodeEnum.DUPLICATE_ITEM);
        assertThat(writes.responses().get(2).error().code()).isEqualTo(BatchStatementErrorCodeEnum.CONDITIONAL_CHECK_FAILED);
        BatchExecuteStatementResponse reads = ddb.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("SELECT * FROM Music WHERE PK = ? AND SK = ?")
                        .parameters(s("artist#1"), s("song#2")).build(),
                BatchStatementRequest.builder().statement("SELECT * FROM Music WHERE PK = 'b' AND SK = '1'").build()));
        assertThat(reads.responses().get(0).item()).containsEntry("Plays", n(20));
        assertThat(reads.responses().get(0).tableName()).isEqualTo("Music");
        assertThat(reads.responses().get(1).item()).isEqualTo(Map.of("PK", s("b"), "SK", s("1")));
    }

    @Test
    void batchExecuteRefusesMixingReadsAndWrites() {
        assertError(() -> ddb.batchExecuteStatement(r -> r.statements(
                        BatchStatementRequest.builder().statement("SELECT * FROM Music WHERE PK = 'mixed' AND SK = '1'").build(),
                        BatchStatementRequest.builder().statement("INSERT INTO Music VALUE {'PK': 'mixed', 'SK': '1'}").build())),
                DynamoDbException.class, "ValidationException",
                "Read and write requests together in the same batch is not supported.");
        assertThat(ddb.getItem(r -> r.tableName("Music").key(Map.of("PK", s("mixed"), "SK", s("1")))).hasItem()).isFalse();
    }

    @Test
    void batchExecuteRefusesNamingOneItemTwice() {
        assertError(() -> ddb.batchExecuteStatement(r -> r.statements(
                        BatchStatementRequest.builder().statement("INSERT INTO Music VALUE {'PK': 'twice', 'SK': '1'}").build(),
                        BatchStatementRequest.builder().statement("UPDATE Music SET x = 1 WHERE PK = ? AND SK = ?")
                                .parameters(s("twice"), s("1")).build())),
                DynamoDbException.class, "ValidationException", "Provided list of item keys contains duplicates");
        assertThat(ddb.getItem(r -> r.tableName("Music").key(Map.of("PK", s("twice"), "SK", s("1")))).hasItem()).isFalse();
        assertError(() -> ddb.batchExecuteStatement(r -> r.statements(
                        BatchStatementRequest.builder().statement("SELECT * FROM Music WHERE PK = 'twice' AND SK = '1'").build(),
                        BatchStatementRequest.builder().statement("SELECT PK FROM Music WHERE SK = '1' AND PK = 'twice'").build())),
                DynamoDbException.class, "ValidationException", "Provided list of item keys contains duplicates");
        BatchExecuteStatementResponse distinct = ddb.batchExecuteStatement(r -> r.statements(
                BatchStatementRequest.builder().statement("SELECT * FROM Music WHERE PK = 'twice' AND SK = '1'").build(),
                BatchStatementRequest.builder().statement("SELECT * FROM Music WHERE PK = 'twice' AND SK = '2'").build()));
        assertThat(distinct.responses()).hasSize(2).allSatisfy(response -> assertThat(response.error()).isNull());
    }

    @Test
    void transactionsWriteAllOrNothing() {
        ddb.executeTransaction(r -> r.transactStatements(
                ParameterizedStatement.builder().statement("INSERT INTO Music VALUE {'PK': 't', 'SK': '1', 'Plays': 1001}").build(),
                ParameterizedStatement.builder().statement("INSERT INTO Music VALUE {'PK': 't', 'SK': '2', 'Plays': 1002}").build(),
                ParameterizedStatement.builder().statement("INSERT INTO Music VALUE {'PK': 't', 'SK': '3', 'Plays': 1003}").build()));
        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> ddb.executeTransaction(r -> r.transactStatements(
                        ParameterizedStatement.builder().statement("UPDATE Music SET Plays = 100 WHERE PK = 't' AND SK = '2'").build(),
                        ParameterizedStatement.builder().statement("INSERT INTO Music VALUE {'PK': 't', 'SK': '1'}").build(),
                        ParameterizedStatement.builder().statement("EXISTS(SELECT * FROM Music WHERE PK = 't' AND SK = '3' AND Plays = 1003)").build())));
        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                .containsExactly("None", "DuplicateItem", "None");
        assertThat(cancelled.awsErrorDetails().errorMessage()).isEqualTo(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, None]");
        ExecuteTransactionResponse read = ddb.executeTransaction(r -> r.transactStatements(
                ParameterizedStatement.builder().statement("SELECT Plays FROM Music WHERE PK = 't' AND SK = '2'").build(),
                ParameterizedStatement.builder().statement("SELECT * FROM Music WHERE PK = 't' AND SK = 'none'").build()));
        assertThat(read.responses().get(0).item()).as("the cancelled update left it alone").isEqualTo(Map.of("Plays", n(1002)));
        assertThat(read.responses().get(1).hasItem()).isFalse();
    }
}
