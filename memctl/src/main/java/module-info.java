/**
 * {@code memctl}, the operator's command line ({@code dev.agentmemory.cli}: {@code Memctl.main} and {@code Memctl.run}).
 * The commands ({@code dev.agentmemory.cli.internal}) are not exported; they are open to picocli, which reads their
 * options by reflection. The runnable {@code memctl.jar} is a shaded class-path jar without this descriptor.
 */
@SuppressWarnings({"requires-automatic"}) // memory-jdbc, java-diff-utils
module dev.agentmemory.cli {
    requires dev.agentmemory.core;
    requires dev.agentmemory.jdbc;
    requires dev.agentmemory.fs;
    requires dev.agentmemory.server;
    requires com.fasterxml.jackson.databind;
    requires io.github.javadiffutils;
    requires info.picocli;

    exports dev.agentmemory.cli;
    opens dev.agentmemory.cli.internal to info.picocli;
}
