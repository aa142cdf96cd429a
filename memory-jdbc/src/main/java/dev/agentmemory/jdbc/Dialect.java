package dev.agentmemory.jdbc;

/** The databases the JDBC backend speaks. */
public enum Dialect {
    /** SQLite through {@code org.xerial:sqlite-jdbc}: the embedded default, one file, several processes. */
    SQLITE("sqlite"),
    /** PostgreSQL through {@code org.postgresql:postgresql}: one store shared by many processes and machines. */
    POSTGRESQL("postgresql");

    private final String folder;

    Dialect(String folder) {
        this.folder = folder;
    }

    /**
     * Returns the name of the folder that holds this dialect's schema scripts.
     *
     * @return for example {@code sqlite}
     */
    public String folder() {
        return folder;
    }
}
