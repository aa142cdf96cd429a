package dev.agentmemory.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A response body that writes itself to a JSON generator, so that an answer is serialised once, straight from the
 * library's values, without building a tree first. Implementations are stateless or immutable, so a body may be
 * written more than once.
 */
@FunctionalInterface
public interface JsonBody {

    /**
     * Writes the body: exactly one JSON value.
     *
     * @param g the generator, where a value may stand
     * @throws IOException if the generator fails
     */
    void write(JsonGenerator g) throws IOException;

    /**
     * A body that writes a tree, for answers small or rare enough to be built as one.
     *
     * @param tree the tree
     * @return the body
     */
    static JsonBody of(JsonNode tree) {
        return g -> Wire.MAPPER.writeTree(g, tree);
    }
}
