package dev.agentmemory.cli.internal;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The standard streams of one run: output is UTF-8 whatever the platform's default.
 *
 * @param in standard input
 * @param out standard output
 * @param err standard error
 */
public record Io(InputStream in, PrintStream out, PrintStream err) {

    /**
     * Wraps the given streams in UTF-8 print streams.
     *
     * @param in standard input
     * @param out standard output
     * @param err standard error
     */
    public Io {
        out = new PrintStream(out, false, StandardCharsets.UTF_8);
        err = new PrintStream(err, true, StandardCharsets.UTF_8);
    }

    /**
     * Returns a writer on standard output, for picocli's help.
     *
     * @return the writer
     */
    public PrintWriter outWriter() {
        return new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    }

    /**
     * Returns a writer on standard error, for picocli's messages.
     *
     * @return the writer
     */
    public PrintWriter errWriter() {
        return new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    }

    /** Flushes both output streams. */
    public void flush() {
        out.flush();
        err.flush();
    }
}
