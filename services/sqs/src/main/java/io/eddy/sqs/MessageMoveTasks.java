package io.eddy.sqs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.eddy.store.Batch;
import io.eddy.store.Drainable;
import io.eddy.store.Store;

/**
 * Message move tasks (StartMessageMoveTask): each runs on its own virtual thread, moving visible
 * messages out of a dead-letter queue in small steps. A step's moves and the task's progress are
 * written in one batch, so a restart resumes a running task exactly where it stood. A queue keeps
 * its ten most recent tasks.
 */
final class MessageMoveTasks implements Drainable, AutoCloseable {

    private static final int STEP = 10;
    private static final int KEPT_PER_QUEUE = 10;

    static final class Task {
        final String taskId;
        final String sourceArn;
        final String destinationArn;
        final Integer maxPerSecond;
        final long startedTimestamp;
        final long toMove;
        final Queue source;
        volatile String status;
        volatile long moved;
        volatile String failureReason;
        volatile boolean cancelRequested;
        volatile Thread runner;

        Task(String taskId, Queue source, String destinationArn, Integer maxPerSecond, long startedTimestamp,
             long toMove) {
            this.taskId = taskId;
            this.source = source;
            this.sourceArn = source.arn;
            this.destinationArn = destinationArn;
            this.maxPerSecond = maxPerSecond;
            this.startedTimestamp = startedTimestamp;
            this.toMove = toMove;
            this.status = "RUNNING";
        }

        String handle() {
            ObjectNode node = QueueConfig.JSON.createObjectNode();
            node.put("taskId", taskId);
            node.put("sourceArn", sourceArn);
            return Base64.getEncoder().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
        }

        byte[] key() {
            return SqsKeys.withText(SqsKeys.prefix(source.address, SqsKeys.TASK, source.incarnation), taskId);
        }

        byte[] encode(long movedCount) {
            ObjectNode node = QueueConfig.JSON.createObjectNode();
            node.put("taskId", taskId);
            if (destinationArn != null) node.put("destinationArn", destinationArn);
            if (maxPerSecond != null) node.put("maxPerSecond", maxPerSecond);
            node.put("startedTimestamp", startedTimestamp);
            node.put("toMove", toMove);
            node.put("moved", movedCount);
            node.put("status", status);
            if (failureReason != null) node.put("failureReason", failureReason);
            return node.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Store store;
    private final LongSupplier clock;
    private final Function<String, Queue> queuesByArn;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    MessageMoveTasks(Store store, LongSupplier clock, Function<String, Queue> queuesByArn) {
        this.store = store;
        this.clock = clock;
        this.queuesByArn = queuesByArn;
    }

    /** Re-creates a stored task while the service loads; running ones resume once {@link #resume} is called. */
    void restore(Queue source, byte[] value) {
        try {
            JsonNode node = QueueConfig.JSON.readTree(value);
            Task task = new Task(node.path("taskId").asText(), source,
                    node.hasNonNull("destinationArn") ? node.get("destinationArn").asText() : null,
                    node.hasNonNull("maxPerSecond") ? node.get("maxPerSecond").asInt() : null,
                    node.path("startedTimestamp").asLong(), node.path("toMove").asLong());
            task.moved = node.path("moved").asLong();
            task.status = node.path("status").asText();
            task.failureReason = node.hasNonNull("failureReason") ? node.get("failureReason").asText() : null;
            tasks.put(task.taskId, task);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable message move task of " + source.arn, e);
        }
    }

    void resume() {
        for (Task task : tasks.values()) {
            if (task.status.equals("RUNNING")) launch(task);
        }
    }

    Task start(Queue source, String destinationArn, Integer maxPerSecond, long toMove) {
        synchronized (this) {
            for (Task t : tasks.values()) {
                if (t.source == source && t.status.equals("RUNNING")) {
                    throw SqsErrors.unsupportedOperation("There is already a task running. Only one active task is "
                            + "allowed for a source queue arn at a given time.");
                }
            }
            Task task = new Task(UUID.randomUUID().toString(), source, destinationArn, maxPerSecond,
                    clock.getAsLong(), toMove);
            Batch batch = new Batch().put(task.key(), task.encode(0));
            List<Task> previous = forQueue(source);
            for (int i = KEPT_PER_QUEUE - 1; i < previous.size(); i++) {
                batch.delete(previous.get(i).key());
                tasks.remove(previous.get(i).taskId);
            }
            store.write(batch);
            tasks.put(task.taskId, task);
            launch(task);
            return task;
        }
    }

    /** The queue's tasks, most recent first. */
    List<Task> forQueue(Queue source) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks.values()) {
            if (t.source == source) out.add(t);
        }
        out.sort(Comparator.comparingLong((Task t) -> t.startedTimestamp).reversed());
        return out;
    }

    /** Stops a running task after its current step; returns it. */
    Task cancel(String handle) {
        Task task = byHandle(handle);
        if (task == null) throw SqsErrors.resourceNotFound("Task does not exist.");
        synchronized (task) {
            if (!task.status.equals("RUNNING")) {
                throw SqsErrors.unsupportedOperation("Only active tasks can be cancelled.");
            }
            task.cancelRequested = true;
        }
        Thread runner = task.runner;
        if (runner != null) {
            runner.interrupt();
            try {
                runner.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return task;
    }

    /** Forgets the tasks of a deleted queue; their keys go with the queue's deletion batch. */
    void queueDeleted(Queue source, Batch batch) {
        for (Task task : forQueue(source)) {
            task.cancelRequested = true;
            Thread runner = task.runner;
            if (runner != null) runner.interrupt();
            batch.delete(task.key());
            tasks.remove(task.taskId);
        }
    }

    private Task byHandle(String handle) {
        try {
            JsonNode node = QueueConfig.JSON.readTree(Base64.getDecoder().decode(handle));
            Task task = tasks.get(node.path("taskId").asText());
            return task != null && task.sourceArn.equals(node.path("sourceArn").asText()) ? task : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }

    private void launch(Task task) {
        task.runner = Thread.ofVirtual().name("sqs-move-" + task.taskId).start(() -> run(task));
    }

    private void run(Task task) {
        long began = clock.getAsLong();
        long movedAtStart = task.moved;
        try {
            while (!task.cancelRequested && !closed && task.moved < task.toMove) {
                int step = (int) Math.min(STEP, task.toMove - task.moved);
                if (task.maxPerSecond != null) step = Math.min(step, task.maxPerSecond);
                long before = task.moved;
                Queue.MoveResult result = task.source.moveOut(step, task.destinationArn,
                        n -> new Batch().put(task.key(), task.encode(before + n)));
                task.moved = before + result.moved();
                if (result.destinationMissing()) {
                    task.failureReason = "AWS.SimpleQueueService.NonExistentQueue";
                    finish(task, "FAILED");
                    return;
                }
                if (result.moved() == 0) break;
                if (task.maxPerSecond != null) {
                    long due = began + (task.moved - movedAtStart) * 1000 / task.maxPerSecond;
                    long wait = due - clock.getAsLong();
                    if (wait > 0) Thread.sleep(wait);
                }
            }
            if (closed && !task.cancelRequested) return;
            finish(task, task.cancelRequested ? "CANCELLED" : "COMPLETED");
        } catch (InterruptedException e) {
            if (task.cancelRequested && tasks.containsKey(task.taskId)) finish(task, "CANCELLED");
        } catch (RuntimeException e) {
            if (!tasks.containsKey(task.taskId)) return;
            task.failureReason = e.getMessage();
            finish(task, "FAILED");
        }
    }

    private void finish(Task task, String status) {
        synchronized (task) {
            task.status = status;
        }
        if (tasks.containsKey(task.taskId)) store.write(new Batch().put(task.key(), task.encode(task.moved)));
    }

    @Override
    public boolean isIdle() {
        return tasks.values().stream().noneMatch(t -> t.status.equals("RUNNING"));
    }

    @Override
    public String describe() {
        return "SQS message move tasks running from " + tasks.values().stream()
                .filter(t -> t.status.equals("RUNNING")).map(t -> t.sourceArn).toList();
    }

    @Override
    public void close() {
        closed = true;
        for (Task task : tasks.values()) {
            Thread runner = task.runner;
            if (runner != null) {
                runner.interrupt();
                try {
                    runner.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
