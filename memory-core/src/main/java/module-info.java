/**
 * agent-memory's core: the API ({@code dev.agentmemory}, {@code dev.agentmemory.model}), the persistence SPI a backend
 * implements ({@code dev.agentmemory.spi}), the in-memory reference backend ({@code dev.agentmemory.inmemory}), the
 * Claude memory tool ({@code dev.agentmemory.tool}) and the JSON form of the values ({@code dev.agentmemory.wire}) and the write policies
 * ({@code dev.agentmemory.policy}).
 * The service that checks every rule ({@code dev.agentmemory.internal}) and the tool's implementation are not
 * exported: a backend or a surface needs nothing from them.
 */
module dev.agentmemory.core {
    requires com.fasterxml.jackson.databind;
    requires transitive com.fasterxml.jackson.core;
    requires org.slf4j;

    exports dev.agentmemory;
    exports dev.agentmemory.error;
    exports dev.agentmemory.model;
    exports dev.agentmemory.spi;
    exports dev.agentmemory.inmemory;
    exports dev.agentmemory.tool;
    exports dev.agentmemory.wire;
    exports dev.agentmemory.policy;
}
