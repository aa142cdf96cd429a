package dev.agentmemory.jdbc;

import dev.agentmemory.error.StorageException;

/**
 * The database's schema is not one this library can use: a script applied earlier was changed since, the schema is
 * newer than the library, or it is missing while migrations are turned off. Nothing was changed.
 */
public class SchemaException extends StorageException {

    /**
     * Creates the exception.
     *
     * @param message what is wrong with the schema and what to do
     */
    public SchemaException(String message) {
        super(message, null);
    }
}
