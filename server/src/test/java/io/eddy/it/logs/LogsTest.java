package io.eddy.it.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.eddy.logs.LogEvent;
import io.eddy.server.Eddy;
import io.eddy.server.EddyConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ValidationException;

class LogsTest {

    static Eddy eddy;
    static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() {
        eddy = Eddy.start(EddyConfig.inMemory());
        logs = client("000000000000");
    }

    static CloudWatchLogsClient client(String account) {
        return CloudWatchLogsClient.builder()
                .endpointOverride(eddy.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(account, "secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        logs.close();
        eddy.close();
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String groupWithStream(String stream) {
        String group = unique("/test/group");
        logs.createLogGroup(b -> b.logGroupName(group));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
        return group;
    }

    static void put(String group, String stream, long timestamp, String... messages) {
        List<InputLogEvent> events = new ArrayList<>();
        for (String m : messages) events.add(InputLogEvent.builder().timestamp(timestamp).message(m).build());
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    static List<String> filter(String group, String pattern) {
        return logs.filterLogEventsPaginator(b -> b.logGroupName(group).filterPattern(pattern)).events().stream()
                .map(FilteredLogEvent::message).toList();
    }

    @Test
    void logGroupLifecycleWithExactErrors() {
        String group = unique("/app/lifecycle");
        logs.createLogGroup(b -> b.logGroupName(group).tags(Map.of("team", "core")));
        assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName(group)))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageStartingWith("The specified log group already exists");
        LogGroup described = logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().get(0);
        assertThat(described.logGroupName()).isEqualTo(group);
        assertThat(described.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:" + group + ":*");
        assertThat(described.logGroupArn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:" + group);
        assertThat(described.creationTime()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
        assertThat(described.retentionInDays()).isNull();
        assertThat(described.deletionProtectionEnabled()).isFalse();

        logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(7));
        assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().get(0).retentionInDays()).isEqualTo(7);
        assertThatThrownBy(() -> logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(2)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("retentionInDays");
        logs.deleteRetentionPolicy(b -> b.logGroupName(group));
        assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().get(0).retentionInDays()).isNull();

        logs.deleteLogGroup(b -> b.logGroupName(group));
        assertThatThrownBy(() -> logs.deleteLogGroup(b -> b.logGroupName(group)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The specified log group does not exist.");
        assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName("bad name!")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("Member must satisfy regular expression pattern");
    }

    @Test
    void describeLogGroupsFiltersByPrefixAndPatternAndPaginates() {
        String base = unique("/describe");
        for (int i = 0; i < 7; i++) {
            String name = base + "/svc" + i + (i % 2 == 0 ? "-Even" : "-Odd");
            logs.createLogGroup(b -> b.logGroupName(name));
        }
        List<String> names = logs.describeLogGroupsPaginator(b -> b.logGroupNamePrefix(base).limit(3)).logGroups()
                .stream().map(LogGroup::logGroupName).toList();
        assertThat(names).hasSize(7).isSorted();
        assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix(base).limit(3)).nextToken()).isNotNull();
        List<LogGroup> pattern = logs.describeLogGroups(b -> b.logGroupNamePattern(base.substring(10) + "/svc3-Odd")).logGroups();
        assertThat(pattern).extracting(LogGroup::logGroupName).containsExactly(base + "/svc3-Odd");
        assertThat(pattern.get(0).storedBytes()).isNull();
        assertThatThrownBy(() -> logs.describeLogGroups(b -> b.logGroupNamePrefix(base).logGroupNamePattern("x")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void logStreamsAreDescribedInNameOrLastEventOrder() {
        String group = unique("/streams");
        logs.createLogGroup(b -> b.logGroupName(group));
        long now = System.currentTimeMillis();
        String[] names = {"c-stream", "a-stream", "b-stream"};
        long[] lastEvent = {now - 1000, now - 3000, now - 2000};
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            logs.createLogStream(b -> b.logGroupName(group).logStreamName(name));
            put(group, name, lastEvent[i] - 500, "first");
            put(group, name, lastEvent[i], "last");
        }
        assertThatThrownBy(() -> logs.createLogStream(b -> b.logGroupName(group).logStreamName("a-stream")))
                .isInstanceOf(ResourceAlreadyExistsException.class)
                .hasMessageStartingWith("The specified log stream already exists");

        List<LogStream> byName = logs.describeLogStreams(b -> b.logGroupName(group)).logStreams();
        assertThat(byName).extracting(LogStream::logStreamName).containsExactly("a-stream", "b-stream", "c-stream");
        LogStream a = byName.get(0);
        assertThat(a.firstEventTimestamp()).isEqualTo(now - 3500);
        assertThat(a.lastEventTimestamp()).isEqualTo(now - 3000);
        assertThat(a.lastIngestionTime()).isGreaterThanOrEqualTo(now - 60_000);
        assertThat(a.uploadSequenceToken()).isNotBlank();
        assertThat(a.arn()).isEqualTo("arn:aws:logs:us-east-1:000000000000:log-group:" + group + ":log-stream:a-stream");

        assertThat(logs.describeLogStreams(b -> b.logGroupName(group).orderBy(OrderBy.LAST_EVENT_TIME).descending(true))
                .logStreams()).extracting(LogStream::logStreamName).containsExactly("c-stream", "b-stream", "a-stream");
        assertThat(logs.describeLogStreamsPaginator(b -> b.logGroupName(group).limit(1).descending(true)).logStreams())
                .extracting(LogStream::logStreamName).containsExactly("c-stream", "b-stream", "a-stream");
        assertThat(logs.describeLogStreams(b -> b.logGroupName(group).logStreamNamePrefix("b")).logStreams())
                .extracting(LogStream::logStreamName).containsExactly("b-stream");
        assertThatThrownBy(() -> logs.describeLogStreams(b -> b.logGroupName(group).logStreamNamePrefix("b")
                .orderBy(OrderBy.LAST_EVENT_TIME))).isInstanceOf(InvalidParameterException.class);

        logs.deleteLogStream(b -> b.logGroupName(group).logStreamName("b-stream"));
        assertThatThrownBy(() -> logs.deleteLogStream(b -> b.logGroupName(group).logStreamName("b-stream")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The specified log stream does not exist.");
        assertThat(filter(group, "")).hasSize(4);
    }

    @Test
    void putLogEventsValidatesAndRejectsEventsOutsideTheWindow() {
        String group = groupWithStream("s");
        long now = System.currentTimeMillis();
        long day = 24L * 3600 * 1000;
        PutLogEventsResponse response = logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now - 15 * day).message("too old").build(),
                InputLogEvent.builder().timestamp(now - 1000).message("kept 1").build(),
                InputLogEvent.builder().timestamp(now).message("kept 2").build(),
                InputLogEvent.builder().timestamp(now + 3 * 3600 * 1000).message("too new").build()));
        // the end indexes are exclusive, the start index inclusive
        assertThat(response.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(response.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(3);
        assertThat(response.rejectedLogEventsInfo().expiredLogEventEndIndex()).isNull();
        assertThat(filter(group, "")).containsExactly("kept 1", "kept 2");
        PutLogEventsResponse twoOld = logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now - 16 * day).message("too old 1").build(),
                InputLogEvent.builder().timestamp(now - 15 * day).message("too old 2").build(),
                InputLogEvent.builder().timestamp(now - 500).message("kept 3").build()));
        assertThat(twoOld.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(2);
        assertThat(twoOld.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isNull();
        assertThat(filter(group, "")).containsExactly("kept 1", "kept 3", "kept 2");

        assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now).message("b").build(),
                InputLogEvent.builder().timestamp(now - 1).message("a").build())))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("chronological order");
        assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now - 2 * day).message("a").build(),
                InputLogEvent.builder().timestamp(now).message("b").build())))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("24 hours");
        String big = "x".repeat(600_000);
        assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now).message(big).build(),
                InputLogEvent.builder().timestamp(now).message(big).build())))
                .isInstanceOf(InvalidParameterException.class);
        assertThatThrownBy(() -> put(group, "missing", now, "x"))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("The specified log stream does not exist.");

        logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(1));
        PutLogEventsResponse expired = logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(
                InputLogEvent.builder().timestamp(now - 2 * day).message("expired").build(),
                InputLogEvent.builder().timestamp(now).message("fresh").build()));
        assertThat(expired.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(1);
    }

    @Test
    void getLogEventsPagesWithForwardAndBackwardTokens() {
        String group = groupWithStream("s");
        long base = System.currentTimeMillis() - 100_000;
        List<InputLogEvent> events = IntStream.range(0, 25)
                .mapToObj(i -> InputLogEvent.builder().timestamp(base + i).message("event " + i).build()).toList();
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("s").logEvents(events));

        GetLogEventsResponse latest = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").limit(10));
        assertThat(latest.events()).extracting(OutputLogEvent::message).first().isEqualTo("event 15");
        assertThat(latest.events()).extracting(OutputLogEvent::message).last().isEqualTo("event 24");
        assertThat(latest.nextForwardToken()).matches("f/\\d{56}");
        assertThat(latest.nextBackwardToken()).matches("b/\\d{56}");

        GetLogEventsResponse older = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").limit(10)
                .nextToken(latest.nextBackwardToken()));
        assertThat(older.events()).extracting(OutputLogEvent::message).first().isEqualTo("event 5");
        GetLogEventsResponse oldest = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").limit(10)
                .nextToken(older.nextBackwardToken()));
        assertThat(oldest.events()).extracting(OutputLogEvent::message).containsExactly(
                "event 0", "event 1", "event 2", "event 3", "event 4");
        GetLogEventsResponse beforeStart = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s")
                .nextToken(oldest.nextBackwardToken()));
        assertThat(beforeStart.events()).isEmpty();
        assertThat(beforeStart.nextBackwardToken()).isEqualTo(oldest.nextBackwardToken());

        List<String> forward = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 10; page++) {
            String current = token;
            GetLogEventsResponse r = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").startFromHead(true)
                    .limit(10).nextToken(current));
            r.events().forEach(e -> forward.add(e.message()));
            if (r.nextForwardToken().equals(current)) break;
            token = r.nextForwardToken();
        }
        assertThat(forward).hasSize(25).first().isEqualTo("event 0");
        assertThat(forward).last().isEqualTo("event 24");

        put(group, "s", base + 30, "late arrival");
        GetLogEventsResponse tail = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").nextToken(latest.nextForwardToken()));
        assertThat(tail.events()).extracting(OutputLogEvent::message).containsExactly("late arrival");

        GetLogEventsResponse window = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").startFromHead(true)
                .startTime(base + 3).endTime(base + 6));
        assertThat(window.events()).extracting(OutputLogEvent::message).containsExactly("event 3", "event 4", "event 5");
        assertThat(window.events().get(0).ingestionTime()).isGreaterThanOrEqualTo(base);

        assertThatThrownBy(() -> logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").nextToken("garbage")))
                .isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void forwardTokenFromAnEmptyStreamSeesEventsWrittenLater() {
        String group = groupWithStream("s");
        GetLogEventsResponse empty = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s"));
        assertThat(empty.events()).isEmpty();
        put(group, "s", System.currentTimeMillis() - 1000, "arrived later");
        GetLogEventsResponse next = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s")
                .nextToken(empty.nextForwardToken()));
        assertThat(next.events()).extracting(OutputLogEvent::message).containsExactly("arrived later");
        GetLogEventsResponse end = logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s")
                .nextToken(next.nextForwardToken()));
        assertThat(end.events()).isEmpty();
        assertThat(end.nextForwardToken()).isEqualTo(next.nextForwardToken());
    }

    @Test
    void filterPatternsTermsPhrasesOrExclusionJsonAndSpaceDelimited() {
        String group = groupWithStream("app");
        long now = System.currentTimeMillis();
        put(group, "app", now - 10,
                "[ERROR] A fatal exception has occurred",
                "Exiting with ERRORCODE: -1",
                "WARN disk almost full",
                "INFO all good",
                "{\"eventType\":\"UpdateTrail\",\"latency\":750,\"user\":{\"id\":1},\"tags\":[\"a\",\"b\"],\"flag\":true,\"gone\":null}",
                "{\"eventType\":\"DeleteTrail\",\"latency\":120,\"user\":{\"id\":2}}",
                "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534",
                "127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] \"GET /apache_pb.gif HTTP/1.0\" 500 5324");

        assertThat(filter(group, "ERROR")).containsExactly("[ERROR] A fatal exception has occurred", "Exiting with ERRORCODE: -1");
        assertThat(filter(group, "ERROR -Exiting")).containsExactly("[ERROR] A fatal exception has occurred");
        assertThat(filter(group, "\"fatal exception\"")).containsExactly("[ERROR] A fatal exception has occurred");
        assertThat(filter(group, "?WARN ?INFO")).containsExactly("WARN disk almost full", "INFO all good");
        assertThat(filter(group, "error")).isEmpty();
        assertThat(filter(group, "\" \"")).as("a quoted space matches every event, spaceless JSON too").hasSize(8);
        assertThat(filter(group, "%ERROR[A-Z]+%")).containsExactly("Exiting with ERRORCODE: -1");

        assertThat(filter(group, "{ $.eventType = \"UpdateTrail\" }")).hasSize(1).first().asString().contains("UpdateTrail");
        assertThat(filter(group, "{ $.eventType = *Trail }")).hasSize(2);
        assertThat(filter(group, "{ $.eventType = \"*Trail\" }")).hasSize(2);
        assertThat(filter(group, "{ $.eventType = \"Del*\" }")).hasSize(1).first().asString().contains("DeleteTrail");
        assertThat(filter(group, "{ $.latency > 500 }")).hasSize(1).first().asString().contains("UpdateTrail");
        assertThat(filter(group, "{ $.latency >= 120 && $.user.id = 2 }")).hasSize(1).first().asString().contains("DeleteTrail");
        assertThat(filter(group, "{ ($.user.id = 2) || $.tags[1] = \"b\" }")).hasSize(2);
        assertThat(filter(group, "{ $.flag IS TRUE }")).hasSize(1);
        assertThat(filter(group, "{ $.gone IS NULL }")).hasSize(1);
        assertThat(filter(group, "{ $.flag NOT EXISTS }")).hasSize(1).first().asString().contains("DeleteTrail");
        assertThat(filter(group, "{ $.latency < 1e3 }")).hasSize(2);

        assertThat(filter(group, "[ip, user, username, timestamp, request, status_code = 4*, bytes]"))
                .containsExactly("127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534");
        assertThat(filter(group, "[..., status_code, bytes > 5000]")).hasSize(1).first().asString().contains("5324");
        assertThat(filter(group, "[ip, user, ..., request = *gif*, status_code = 5* && bytes > 1000, bytes]")).hasSize(1);
        assertThat(filter(group, "[ip, user, ..., request = \"*index*\", status_code, bytes]")).hasSize(1).first()
                .asString().contains("404");
        assertThat(filter(group, "[w1=WARN || w1=INFO, w2, w3, w4]")).containsExactly("WARN disk almost full");
        assertThat(filter(group, "[w1=INFO, w2, w3]")).containsExactly("INFO all good");

        assertThatThrownBy(() -> filter(group, "{ $.a = }")).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void filterLogEventsInterleavesStreamsHonoursTimeRangeLimitAndTokens() {
        String group = groupWithStream("one");
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("two"));
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("other"));
        long base = System.currentTimeMillis() - 60_000;
        for (int i = 0; i < 10; i++) {
            put(group, i % 2 == 0 ? "one" : "two", base + i, "line " + i);
        }
        put(group, "other", base + 5, "other line");

        List<FilteredLogEvent> all = logs.filterLogEventsPaginator(b -> b.logGroupName(group)
                .logStreamNames("one", "two").limit(3)).events().stream().toList();
        assertThat(all).extracting(FilteredLogEvent::message).containsExactly(
                "line 0", "line 1", "line 2", "line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 9");
        assertThat(all).extracting(FilteredLogEvent::eventId).doesNotHaveDuplicates();
        assertThat(all.get(1).logStreamName()).isEqualTo("two");

        FilterLogEventsResponse first = logs.filterLogEvents(b -> b.logGroupName(group).limit(4));
        assertThat(first.events()).hasSize(4);
        assertThat(first.nextToken()).isNotNull();
        assertThat(first.searchedLogStreams()).isEmpty();

        assertThat(logs.filterLogEvents(b -> b.logGroupName(group).startTime(base + 3).endTime(base + 5)).events())
                .extracting(FilteredLogEvent::message).containsExactly("line 3", "line 4", "line 5", "other line");
        assertThat(logs.filterLogEvents(b -> b.logGroupName(group).logStreamNamePrefix("ot")).events())
                .extracting(FilteredLogEvent::message).containsExactly("other line");
        FilterLogEventsResponse last = logs.filterLogEvents(b -> b.logGroupName(group).logStreamNamePrefix("ot"));
        assertThat(last.nextToken()).isNull();
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName(group).logStreamNamePrefix("o").logStreamNames("one")))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(logs.filterLogEvents(b -> b.logGroupIdentifier("arn:aws:logs:us-east-1:000000000000:log-group:" + group)
                .filterPattern("other")).events()).hasSize(1);
    }

    @Test
    void logGroupNameWithLogGroupIdentifierIsAValidationException() {
        String group = groupWithStream("s");
        String arn = "arn:aws:logs:us-east-1:000000000000:log-group:" + group;
        String message = "LogGroup name and LogGroup ARN are mutually exclusive parameters.";
        assertThatThrownBy(() -> logs.describeLogStreams(b -> b.logGroupName(group).logGroupIdentifier(arn)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
                });
        assertThatThrownBy(() -> logs.getLogEvents(b -> b.logGroupName(group).logGroupIdentifier(arn).logStreamName("s")))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith(message);
        assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName(group).logGroupIdentifier(group)))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith(message);
    }

    @Test
    void retentionHidesOlderEvents() {
        String group = groupWithStream("s");
        long day = 24L * 3600 * 1000;
        long now = System.currentTimeMillis();
        put(group, "s", now - 5 * day, "five days old");
        put(group, "s", now - 1000, "recent");
        assertThat(filter(group, "")).containsExactly("five days old", "recent");
        logs.putRetentionPolicy(b -> b.logGroupName(group).retentionInDays(3));
        assertThat(filter(group, "")).containsExactly("recent");
        assertThat(logs.getLogEvents(b -> b.logGroupName(group).logStreamName("s").startFromHead(true)).events())
                .extracting(OutputLogEvent::message).containsExactly("recent");
    }

    @Test
    void tagsThroughBothApis() {
        String group = unique("/tags");
        logs.createLogGroup(b -> b.logGroupName(group).tags(Map.of("a", "1")));
        logs.tagLogGroup(b -> b.logGroupName(group).tags(Map.of("b", "2")));
        assertThat(logs.listTagsLogGroup(b -> b.logGroupName(group)).tags()).isEqualTo(Map.of("a", "1", "b", "2"));
        String arn = "arn:aws:logs:us-east-1:000000000000:log-group:" + group;
        logs.tagResource(b -> b.resourceArn(arn).tags(Map.of("c", "3", "a", "9")));
        assertThat(logs.listTagsForResource(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("a", "9", "b", "2", "c", "3"));
        logs.untagResource(b -> b.resourceArn(arn).tagKeys("b"));
        logs.untagLogGroup(b -> b.logGroupName(group).tags("c"));
        assertThat(logs.listTagsForResource(b -> b.resourceArn(arn)).tags()).isEqualTo(Map.of("a", "9"));
        assertThatThrownBy(() -> logs.listTagsForResource(b -> b.resourceArn(arn + "-missing")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void accountsAreIsolatedAndJavaApiCreatesGroupAndStream() {
        String group = "/aws/lambda/" + unique("fn");
        long now = System.currentTimeMillis();
        int stored = eddy.logs().append("000000000000", "us-east-1", group, "2026/01/01/[$LATEST]abc",
                List.of(new LogEvent(now - 5, "START RequestId: 1 Version: $LATEST"), new LogEvent(now - 1, "END RequestId: 1")));
        assertThat(stored).isEqualTo(2);
        eddy.logs().append("000000000000", "us-east-1", group, "2026/01/01/[$LATEST]abc",
                List.of(new LogEvent(now, "REPORT RequestId: 1")));
        assertThat(filter(group, "RequestId")).containsExactly("START RequestId: 1 Version: $LATEST", "END RequestId: 1",
                "REPORT RequestId: 1");
        try (CloudWatchLogsClient other = client("111111111111")) {
            assertThat(other.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups()).isEmpty();
        }
    }
}
