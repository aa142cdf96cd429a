package dev.agentmemory.spring.boot.autoconfigure;

import dev.agentmemory.AgentMemory;
import dev.agentmemory.model.Limits;
import dev.agentmemory.error.StorageException;
import dev.agentmemory.model.WriteListener;
import dev.agentmemory.inmemory.InMemoryBackend;
import dev.agentmemory.jdbc.Dialect;
import dev.agentmemory.jdbc.JdbcBackend;
import dev.agentmemory.spi.MemoryBackend;
import dev.agentmemory.spring.boot.AgentMemoryProperties;
import dev.agentmemory.spring.boot.internal.BackendChoice;
import dev.agentmemory.spring.boot.internal.CompositeWriteListener;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Makes an {@link AgentMemory} bean, unless the application defines its own: over the SQLite file of
 * {@code agent-memory.sqlite.path}, over the application's {@link DataSource} (SQLite or PostgreSQL, the dialect
 * detected from the database), or in memory, as {@code agent-memory.backend} says. Every {@link WriteListener} bean
 * of the application (the starter's Micrometer meters among them) is told about its writes. The bean is closed with
 * the application context; a DataSource of the application's is left open, the SQLite file's own pool is closed.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(AgentMemory.class)
@EnableConfigurationProperties(AgentMemoryProperties.class)
public class AgentMemoryAutoConfiguration {

    /** Created by Spring. */
    public AgentMemoryAutoConfiguration() {
    }

    /**
     * The memory service.
     *
     * @param properties the {@code agent-memory.*} settings
     * @param dataSource the application's data source, if it has one
     * @param limits limits of the application's, if it defines a {@link Limits} bean; the library's defaults if not
     * @param listeners the application's write listeners, in their order
     * @return the service
     */
    @Bean
    @ConditionalOnMissingBean
    public AgentMemory agentMemory(AgentMemoryProperties properties, ObjectProvider<DataSource> dataSource,
            ObjectProvider<Limits> limits, ObjectProvider<WriteListener> listeners) {
        BackendChoice choice = BackendChoice.decide(properties.getBackend(),
                properties.getSqlite().getPath().isPresent(), dataSource.getIfAvailable() != null);
        MemoryBackend backend = switch (choice) {
            case IN_MEMORY -> InMemoryBackend.create();
            case SQLITE_FILE -> JdbcBackend.sqlite(properties.getSqlite().getPath().orElseThrow());
            case DATA_SOURCE -> onDataSource(dataSource.getObject(), properties.getJdbc());
        };
        return AgentMemory.builder()
                .backend(backend)
                .limits(limits.getIfAvailable(Limits::defaults))
                .writeListener(CompositeWriteListener.of(listeners.orderedStream().toList()))
                .build();
    }

    private static JdbcBackend onDataSource(DataSource dataSource, AgentMemoryProperties.Jdbc jdbc) {
        Dialect dialect = jdbc.getDialect().orElseGet(() -> detect(dataSource));
        return JdbcBackend.builder()
                .dataSource(dataSource)
                .dialect(dialect)
                .migrate(jdbc.isMigrate())
                .closeDataSource(false)
                .cacheBytes(jdbc.getCacheSize().toBytes())
                .retryBudget(jdbc.getRetryBudget())
                .build();
    }

    private static Dialect detect(DataSource dataSource) {
        String product;
        try (Connection c = dataSource.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
        } catch (SQLException e) {
            throw new StorageException("cannot reach the application's DataSource to detect its database: "
                    + e.getMessage() + "; check spring.datasource.*, or set agent-memory.jdbc.dialect", e);
        }
        return BackendChoice.dialectOf(product).orElseThrow(() -> new IllegalStateException("the application's"
                + " DataSource is " + product + ", which agent-memory does not support: use SQLite or PostgreSQL,"
                + " or set agent-memory.sqlite.path to keep memories in a SQLite file of their own"));
    }
}
