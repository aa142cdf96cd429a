package dev.agentmemory.jdbc;

/**
 * What opening a {@link JdbcBackend} may do to the database.
 *
 * <ul>
 *   <li>{@link #CREATE}, the default: creates what is missing (the SQLite file and its directory, the schema) and
 *       applies the schema scripts not applied yet.</li>
 *   <li>{@link #EXISTING}: the database must already be an agent-memory database (it has the library's schema
 *       history table); scripts of a newer library version are applied, nothing else is created. A SQLite file that
 *       does not exist is an error (no file or directory is created), and a database of another application is
 *       refused without a table added to it.</li>
 *   <li>{@link #VALIDATE}: changes nothing; the schema must be complete and unedited (for hosts that apply the
 *       scripts with their own tools).</li>
 * </ul>
 */
public enum OpenMode {
    /** Create what is missing and migrate. */
    CREATE,
    /** Open only an existing agent-memory database; migrate it. */
    EXISTING,
    /** Open only an up-to-date agent-memory database; change nothing. */
    VALIDATE
}
