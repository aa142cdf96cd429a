package dev.agentmemory.spring.boot.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The smallest application that uses the starter: everything comes from auto-configuration and properties. It sits in
 * a package of its own so that its component scan finds none of the other tests' configurations.
 */
@SpringBootApplication
public class MemoryApplication {

    /** Created by Spring. */
    public MemoryApplication() {
    }
}
