package io.eddy.lambda.esm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.eddy.lambda.esm.spi.QueueSource;
import io.eddy.protocol.AwsException;

/** An in-memory SQS queue with visibility timeouts, receive counts, a redrive policy and FIFO groups. */
final class FakeQueue implements QueueSource {

    final String arn;
    private final boolean fifo;
    private final int visibilityTimeout;
    private final int maxReceiveCount;
    private final Map<String, Message> messages = new LinkedHashMap<>();
    final List<String> deadLetters = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();

    private static final class Message {
        final String id;
        final String body;
        final String group;
        int receiveCount;
        long invisibleUntil;
        String receiptHandle;

        Message(String id, String body, String group) {
            this.id = id;
            this.body = body;
            this.group = group;
        }
    }

    FakeQueue(String name, int visibilityTimeout, int maxReceiveCount) {
        this.arn = "arn:aws:sqs:us-east-1:000000000000:" + name;
        this.fifo = name.endsWith(".fifo");
        this.visibilityTimeout = visibilityTimeout;
        this.maxReceiveCount = maxReceiveCount;
    }

    synchronized String send(String body, String group) {
        String id = UUID.randomUUID().toString();
        messages.put(id, new Message(id, body, group));
        notifyAll();
        return id;
    }

    synchronized int size() {
        return messages.size();
    }

    @Override
    public QueueInfo queue(String queueArn) {
        if (!arn.equals(queueArn)) throw new AwsException(400, "InvalidParameterValueException", "no queue " + queueArn);
        return new QueueInfo(arn, fifo, visibilityTimeout);
    }

    @Override
    public synchronized List<QueueMessage> receive(String queueArn, int max, int visibilityTimeoutSeconds, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<QueueMessage> out = receiveNow(max, visibilityTimeoutSeconds);
        while (out.isEmpty() && System.nanoTime() < deadline) {
            wait(Math.max(1, Math.min(20, (deadline - System.nanoTime()) / 1_000_000)));
            out = receiveNow(max, visibilityTimeoutSeconds);
        }
        return out;
    }

    private List<QueueMessage> receiveNow(int max, int visibilityTimeoutSeconds) {
        long now = System.currentTimeMillis();
        Set<String> busyGroups = new HashSet<>();
        if (fifo) messages.values().stream().filter(m -> m.invisibleUntil > now).forEach(m -> busyGroups.add(m.group));
        List<QueueMessage> out = new ArrayList<>();
        for (Message m : new ArrayList<>(messages.values())) {
            if (out.size() == max) break;
            if (m.invisibleUntil > now || (fifo && busyGroups.contains(m.group))) continue;
            if (maxReceiveCount > 0 && m.receiveCount >= maxReceiveCount) {
                messages.remove(m.id);
                deadLetters.add(m.body);
                continue;
            }
            m.receiveCount++;
            m.invisibleUntil = now + visibilityTimeoutSeconds * 1000L;
            m.receiptHandle = UUID.randomUUID().toString();
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("ApproximateReceiveCount", Integer.toString(m.receiveCount));
            attributes.put("SentTimestamp", Long.toString(now));
            if (fifo) attributes.put("MessageGroupId", m.group);
            out.add(new QueueMessage(m.id, m.receiptHandle, m.body, attributes, Map.of(), "md5", null));
        }
        return out;
    }

    @Override
    public synchronized boolean hasPendingMessages(String queueArn) {
        return !messages.isEmpty();
    }

    @Override
    public synchronized void delete(String queueArn, String receiptHandle) {
        messages.values().removeIf(m -> {
            if (!receiptHandle.equals(m.receiptHandle)) return false;
            deleted.add(m.body);
            return true;
        });
    }

}
