/**
 * A session's memory stores as a live FUSE kernel mount (Linux, libfuse3 through jfuse, Java 22+).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // memory-core is the automatic module dev.agentmemory.core
module dev.agentmemory.fuse {
    requires transitive dev.agentmemory.core;
    requires org.cryptomator.jfuse.api;
    requires org.slf4j;

    exports dev.agentmemory.fuse;
}
