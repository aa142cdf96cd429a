/**
 * JMH benchmarks through the public API, each beside a baseline measured in the same run.
 *
 * <p>For the in-memory backend the baseline is a floor: the least work the operation cannot avoid, done with plain
 * JDK parts: for a write, the UTF-8 encoding and SHA-256 of the same bytes and a
 * {@link java.util.concurrent.ConcurrentHashMap} put; for a read, a {@code ConcurrentHashMap} get. The target is that
 * writes reach at least half their floor's throughput.
 *
 * <p>For the JDBC backend (SQLite and PostgreSQL) the baseline is raw JDBC issuing the same statements on the same
 * database ({@link dev.agentmemory.benchmarks.JdbcWriteBenchmark}, {@link dev.agentmemory.benchmarks.JdbcReadBenchmark}),
 * and for reads of a large store the same reads of a small one ({@link dev.agentmemory.benchmarks.LargeStoreBenchmark}).
 * See the module's README for how to build and run them and what each includes.
 */
package dev.agentmemory.benchmarks;
