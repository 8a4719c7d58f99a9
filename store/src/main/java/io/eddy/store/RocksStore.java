package io.eddy.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.Env;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.RocksMemEnv;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * {@link Store} over RocksDB. Every write goes through the write-ahead log; the log is not fsynced
 * per write, which keeps acknowledged writes safe across a crash of the process (the OS holds the
 * bytes) but not across a power loss unless {@code syncWrites} is set.
 */
public final class RocksStore implements Store {

    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final Options options;
    private final WriteOptions writeOptions;
    private final Env memEnv;
    /** Serializes batches that append to logs, so sequence numbers follow commit order. */
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Map<ByteBuffer, LogState> logs = new ConcurrentHashMap<>();

    private RocksStore(RocksDB db, Options options, Env memEnv, boolean syncWrites) {
        this.db = db;
        this.options = options;
        this.memEnv = memEnv;
        // A log in memory survives nothing the memtable does not, so an in-memory store writes none.
        this.writeOptions = new WriteOptions().setSync(syncWrites).setDisableWAL(memEnv != null);
    }

    /** Opens (or creates) a persistent store in {@code dir}. */
    public static RocksStore open(Path dir, boolean syncWrites) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Options options = baseOptions();
        return openWith(options, dir.toAbsolutePath().toString(), null, syncWrites);
    }

    /** A store that lives in memory only and vanishes on close. */
    public static RocksStore inMemory() {
        Env env = new RocksMemEnv(Env.getDefault());
        Options options = baseOptions().setEnv(env);
        return openWith(options, "/eddy-mem", env, false);
    }

    /** Bloom filters let point reads, which every item write does first, skip files that cannot hold the key. */
    private static Options baseOptions() {
        return new Options()
                .setCreateIfMissing(true)
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)))
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(2)
                .setWriteBufferSize(16L << 20);
    }

    private static RocksStore openWith(Options options, String path, Env env, boolean syncWrites) {
        try {
            return new RocksStore(RocksDB.open(options, path), options, env, syncWrites);
        } catch (RocksDBException e) {
            options.close();
            if (env != null) env.close();
            throw new StoreException("cannot open store at " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    @Override
    public void write(Batch batch) {
        if (batch.isEmpty()) {
            runCallbacks(batch);
            return;
        }
        if (batch.appends().isEmpty()) {
            writeOps(batch, null);
        } else {
            appendLock.lock();
            try {
                Map<LogState, Long> published = new HashMap<>();
                try (WriteBatch wb = new WriteBatch()) {
                    for (Batch.Append append : batch.appends()) {
                        LogState log = log(append.logPrefix());
                        long sequence = published.getOrDefault(log, log.last) + 1;
                        published.put(log, sequence);
                        append.assign(sequence);
                        wb.put(LogReader.key(append.logPrefix(), sequence), append.value());
                        wb.put(log.counterKey, Keys.of().u64(sequence).build());
                    }
                    writeOps(batch, wb);
                } catch (RocksDBException e) {
                    throw new StoreException(e.getMessage(), e);
                }
                published.forEach(LogState::publish);
            } catch (RuntimeException e) {
                for (Batch.Append append : batch.appends()) append.assign(-1);
                throw e;
            } finally {
                appendLock.unlock();
            }
        }
        runCallbacks(batch);
    }

    private void writeOps(Batch batch, WriteBatch withAppends) {
        try (WriteBatch wb = withAppends == null ? new WriteBatch() : null) {
            WriteBatch target = withAppends == null ? wb : withAppends;
            for (Batch.Op op : batch.ops()) {
                if (op.isDelete()) target.delete(op.key());
                else target.put(op.key(), op.value());
            }
            db.write(writeOptions, target);
        } catch (RocksDBException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    private static void runCallbacks(Batch batch) {
        for (Runnable callback : batch.afterCommitCallbacks()) callback.run();
    }

    @Override
    public boolean awaitAppend(byte[] logPrefix, long afterSequence, Duration timeout) throws InterruptedException {
        return log(logPrefix).await(afterSequence, timeout.toNanos());
    }

    @Override
    public long lastSequence(byte[] logPrefix) {
        return log(logPrefix).last;
    }

    private LogState log(byte[] prefix) {
        return logs.computeIfAbsent(ByteBuffer.wrap(prefix.clone()), k -> {
            byte[] counterKey = Keys.of().text("$log-sequence").bytes(prefix).build();
            byte[] stored = get(counterKey);
            return new LogState(counterKey, stored == null ? -1 : Keys.readU64(stored, 0));
        });
    }

    /** The highest committed sequence number of one log, and the readers waiting for more. */
    private static final class LogState {
        final byte[] counterKey;
        volatile long last;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition appended = lock.newCondition();

        LogState(byte[] counterKey, long last) {
            this.counterKey = counterKey;
            this.last = last;
        }

        void publish(long sequence) {
            lock.lock();
            try {
                last = sequence;
                appended.signalAll();
            } finally {
                lock.unlock();
            }
        }

        boolean await(long afterSequence, long timeoutNanos) throws InterruptedException {
            if (last > afterSequence) return true;
            lock.lock();
            try {
                long remaining = timeoutNanos;
                while (last <= afterSequence && remaining > 0) remaining = appended.awaitNanos(remaining);
                return last > afterSequence;
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public Cursor scan(byte[] from, byte[] to) {
        return new RocksCursor(db, null, from, to, false);
    }

    @Override
    public Cursor scanReverse(byte[] from, byte[] to) {
        return new RocksCursor(db, null, from, to, true);
    }

    @Override
    public Snapshot snapshot() {
        org.rocksdb.Snapshot snap = db.getSnapshot();
        return new Snapshot() {
            private final ReadOptions readOptions = new ReadOptions().setSnapshot(snap);

            @Override
            public byte[] get(byte[] key) {
                try {
                    return db.get(readOptions, key);
                } catch (RocksDBException e) {
                    throw new StoreException(e.getMessage(), e);
                }
            }

            @Override
            public Cursor scan(byte[] from, byte[] to) {
                return new RocksCursor(db, snap, from, to, false);
            }

            @Override
            public Cursor scanReverse(byte[] from, byte[] to) {
                return new RocksCursor(db, snap, from, to, true);
            }

            @Override
            public void close() {
                readOptions.close();
                db.releaseSnapshot(snap);
            }
        };
    }

    @Override
    public void close() {
        writeOptions.close();
        db.close();
        options.close();
        if (memEnv != null) memEnv.close();
    }

    private static final class RocksCursor implements Cursor {
        private final ReadOptions readOptions;
        private final RocksIterator it;
        private final Slice lower;
        private final Slice upper;
        private final boolean reverse;
        private boolean started;

        RocksCursor(RocksDB db, org.rocksdb.Snapshot snap, byte[] from, byte[] to, boolean reverse) {
            this.readOptions = new ReadOptions();
            if (snap != null) readOptions.setSnapshot(snap);
            this.lower = from == null ? null : new Slice(from);
            this.upper = to == null ? null : new Slice(to);
            if (lower != null) readOptions.setIterateLowerBound(lower);
            if (upper != null) readOptions.setIterateUpperBound(upper);
            this.it = db.newIterator(readOptions);
            this.reverse = reverse;
        }

        @Override
        public boolean next() {
            if (!started) {
                started = true;
                if (reverse) it.seekToLast();
                else it.seekToFirst();
            } else if (reverse) {
                it.prev();
            } else {
                it.next();
            }
            return it.isValid();
        }

        @Override
        public byte[] key() {
            return it.key();
        }

        @Override
        public byte[] value() {
            return it.value();
        }

        @Override
        public void close() {
            it.close();
            readOptions.close();
            if (lower != null) lower.close();
            if (upper != null) upper.close();
        }
    }
}
