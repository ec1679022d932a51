package io.sensorflow.job.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only the in-progress files older than the bound go; merged, committed and newer files stay. */
class ArchiveWorkFilesTest {

    @TempDir
    Path dir;

    @Test
    void removesOnlyInProgressFilesOlderThanTheBound() throws Exception {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        Path hour = Files.createDirectories(dir.resolve("day=2026-12-07/hour=05"));
        file(hour.resolve("compacted-part-a-0.parquet"), now.minus(Duration.ofDays(3)));
        file(hour.resolve(".part-b-0.parquet"), now.minus(Duration.ofDays(3))); // committed, waiting for its merge's cleanup
        file(hour.resolve("..part-c-0.parquet.inprogress.1234"), now.minus(Duration.ofHours(2))); // orphan
        file(hour.resolve("..part-d-0.parquet.inprogress.5678"), now.minus(Duration.ofMinutes(5))); // maybe waiting for its merge

        List<org.apache.flink.core.fs.Path> removed = ArchiveWorkFiles.removeOrphans(
                new org.apache.flink.core.fs.Path(dir.toUri()), Duration.ofHours(1), now);

        assertThat(removed).extracting(org.apache.flink.core.fs.Path::getName)
                .containsExactly("..part-c-0.parquet.inprogress.1234");
        try (Stream<Path> left = Files.list(hour)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "compacted-part-a-0.parquet", ".part-b-0.parquet", "..part-d-0.parquet.inprogress.5678");
        }
    }

    private static void file(Path p, Instant modified) throws Exception {
        Files.writeString(p, "x");
        Files.setLastModifiedTime(p, FileTime.from(modified));
    }
}
