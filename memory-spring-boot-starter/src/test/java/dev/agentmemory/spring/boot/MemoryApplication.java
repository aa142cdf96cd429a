package dev.agentmemory.spring.boot;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The smallest application that uses the starter: everything comes from auto-configuration and properties. */
@SpringBootApplication
public class MemoryApplication {
}
