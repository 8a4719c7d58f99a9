package io.eddy.it.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondaryPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.model.EnhancedGlobalSecondaryIndex;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.WriteBatch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;

class EnhancedClientTest {

    static Eddy eddy;
    static DynamoDbClient ddb;
    static DynamoDbEnhancedClient enhanced;
    static DynamoDbTable<Order> orders;

    @DynamoDbBean
    public static class Order {
        private String customer;
        private String orderId;
        private String status;
        private Integer total;
        private Long version;

        @DynamoDbPartitionKey
        public String getCustomer() { return customer; }
        public void setCustomer(String customer) { this.customer = customer; }

        @DynamoDbSortKey
        @DynamoDbSecondarySortKey(indexNames = "ByStatus")
        public String getOrderId() { return orderId; }
        public void setOrderId(String orderId) { this.orderId = orderId; }

        @DynamoDbSecondaryPartitionKey(indexNames = "ByStatus")
        public String getStatus() { return status; }
        public void setStatus(String status) { this.status = status; }

        public Integer getTotal() { return total; }
        public void setTotal(Integer total) { this.total = total; }

        @DynamoDbVersionAttribute
        public Long getVersion() { return version; }
        public void setVersion(Long version) { this.version = version; }

        static Order of(String customer, String id, String status, int total) {
            Order o = new Order();
            o.setCustomer(customer);
            o.setOrderId(id);
            o.setStatus(status);
            o.setTotal(total);
            return o;
        }
    }

    @DynamoDbBean
    public static class Note {
        private String id;
        private String text;

        @DynamoDbPartitionKey
        public String getId() { return id; }
        public void setId(String id) { this.id = id; }

        public String getText() { return text; }
        public void setText(String text) { this.text = text; }

        static Note of(String id, String text) {
            Note n = new Note();
            n.setId(id);
            n.setText(text);
            return n;
        }
    }

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        ddb = Clients.dynamo(eddy);
        enhanced = Clients.enhanced(ddb);
        orders = enhanced.table("orders", TableSchema.fromBean(Order.class));
        orders.createTable(r -> r.globalSecondaryIndices(EnhancedGlobalSecondaryIndex.builder().indexName("ByStatus")
                .projection(p -> p.projectionType(ProjectionType.ALL)).build()));
        ddb.waiter().waitUntilTableExists(r -> r.tableName("orders"));
    }

    @AfterAll
    static void stop() {
        ddb.close();
        eddy.close();
    }

    @Test
    void putGetAndOptimisticLocking() {
        orders.putItem(Order.of("ann", "o-1", "NEW", 10));
        Order read = orders.getItem(Key.builder().partitionValue("ann").sortValue("o-1").build());
        assertThat(read.getTotal()).isEqualTo(10);
        assertThat(read.getVersion()).isEqualTo(1L);
        read.setTotal(12);
        Order updated = orders.updateItem(read);
        assertThat(updated.getVersion()).isEqualTo(2L);
        read.setTotal(99);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> orders.updateItem(read))
                .isInstanceOf(ConditionalCheckFailedException.class);
    }

    @Test
    void queryPagesAndIndexes() {
        for (int i = 0; i < 12; i++) orders.putItem(Order.of("bob", String.format("o-%02d", i), i % 3 == 0 ? "SHIPPED" : "NEW", i));
        List<Page<Order>> pages = orders.query(r -> r.queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue("bob")))
                .limit(5)).stream().toList();
        assertThat(pages.stream().mapToInt(p -> p.items().size()).sum()).isEqualTo(12);
        assertThat(pages.size()).isGreaterThanOrEqualTo(3);
        List<Order> filtered = orders.query(r -> r.queryConditional(QueryConditional.sortBeginsWith(k -> k.partitionValue("bob").sortValue("o-1")))
                .filterExpression(Expression.builder().expression("#t > :t").putExpressionName("#t", "total")
                        .putExpressionValue(":t", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("10")).build()))
                .items().stream().toList();
        assertThat(filtered).extracting(Order::getOrderId).containsExactly("o-11");
        DynamoDbIndex<Order> byStatus = orders.index("ByStatus");
        List<Order> shipped = byStatus.query(r -> r.queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue("SHIPPED"))))
                .stream().flatMap(p -> p.items().stream()).toList();
        assertThat(shipped).extracting(Order::getOrderId).contains("o-00", "o-03", "o-06", "o-09");
    }

    @Test
    void batchWriteAndTransactions() {
        DynamoDbTable<Note> notes = enhanced.table("notes", TableSchema.fromBean(Note.class));
        notes.createTable();
        enhanced.batchWriteItem(r -> r.addWriteBatch(WriteBatch.builder(Note.class).mappedTableResource(notes)
                .addPutItem(Note.of("n-1", "one")).addPutItem(Note.of("n-2", "two")).build()));
        assertThat(notes.scan().items().stream().count()).isEqualTo(2);
        enhanced.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                .addPutItem(notes, Note.of("n-3", "three"))
                .addDeleteItem(notes, Key.builder().partitionValue("n-1").build())
                .build());
        assertThat(notes.getItem(Key.builder().partitionValue("n-1").build())).isNull();
        assertThat(notes.getItem(Key.builder().partitionValue("n-3").build()).getText()).isEqualTo("three");
    }
}
