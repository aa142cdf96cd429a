package dev.agentmemory.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.tool.internal.TextLines;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The human sizes of directory listings, as the SDKs' local-filesystem memory tools format them. */
class TextLinesTest {

    @ParameterizedTest
    @CsvSource({"0, 0B", "1, 1B", "1023, 1023B", "1024, 1K", "1536, 1.5K", "2047, 2.0K", "10240, 10K",
            "1048576, 1M", "1258291, 1.2M", "1073741824, 1G", "5368709120, 5G", "1099511627776, 1024G"})
    void humanSizes(long bytes, String expected) {
        assertThat(TextLines.humanSize(bytes)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(value = {"'' | 0", "'a' | 1", "'a\\n' | 1", "'a\\nb' | 2", "'\\n' | 1", "'\\n\\n' | 2",
            "'a\\r\\nb\\r\\n' | 2"}, delimiter = '|')
    void lineCounts(String escaped, int count) {
        String text = escaped.replace("\\n", "\n").replace("\\r", "\r");
        List<String> lines = TextLines.split(text);
        assertThat(lines).hasSize(count);
        assertThat(lines).noneMatch(l -> l.contains("\r") || l.contains("\n"));
    }
}
