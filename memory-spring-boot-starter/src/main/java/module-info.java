/**
 * agent-memory for Spring Boot: auto-configures {@code AgentMemory} from the application's DataSource or
 * {@code agent-memory.*} properties, with a health indicator, Micrometer meters of writes and a scheduled retention
 * purge. Spring Boot applications normally run on the class path, where this descriptor is ignored; on the module path
 * it opens the auto-configuration to Spring's reflection.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // memory-core, memory-jdbc, Spring Boot
module dev.agentmemory.spring.boot {
    requires transitive dev.agentmemory.core;
    requires transitive dev.agentmemory.jdbc;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.context;
    requires transitive spring.beans;
    requires transitive spring.core;
    requires transitive java.sql;
    requires org.slf4j;
    requires static transitive spring.boot.actuator;
    requires static transitive spring.boot.actuator.autoconfigure;
    requires static transitive micrometer.core;

    exports dev.agentmemory.spring.boot;
    exports dev.agentmemory.spring.boot.autoconfigure;
    opens dev.agentmemory.spring.boot to spring.core, spring.beans, spring.context, spring.boot;
    opens dev.agentmemory.spring.boot.autoconfigure to spring.core, spring.beans, spring.context, spring.boot;
}
