package io.sensorflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobHealthTest {

    @Test
    void theRootCauseIsTheInnermostCausedBy() {
        String trace = "org.apache.flink.runtime.JobException: Recovery is suppressed\n"
                + "\tat org.apache.flink.Foo.bar(Foo.java:1)\n"
                + "Caused by: java.io.IOException: Unable to update JDBC statement executor\n"
                + "\tat x.y(Z.java:2)\n"
                + "Caused by: java.net.ConnectException: Connection refused\n"
                + "\tat a.b(C.java:3)\n"
                + "\t... 4 more\n";
        assertThat(JobHealth.rootCause(trace)).isEqualTo("java.net.ConnectException: Connection refused");
        assertThat(JobHealth.rootCause("java.lang.IllegalStateException: boom\n\tat a.b(C.java:1)\n"))
                .isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(JobHealth.rootCause("")).isNull();
        assertThat(JobHealth.rootCause("x".repeat(500))).hasSize(203);
    }

    @Test
    void describesStateRestartsAndCause() {
        assertThat(new JobHealth("RUNNING", 0, null).describe()).isEqualTo("job RUNNING, 0 restarts");
        assertThat(new JobHealth("RESTARTING", 3, "java.net.ConnectException: Connection refused").describe())
                .isEqualTo("job RESTARTING, 3 restarts, last cause: java.net.ConnectException: Connection refused");
        assertThat(new JobHealth("RUNNING", 1, "x: y").describe()).isEqualTo("job RUNNING, 1 restart, last cause: x: y");
        assertThat(new JobHealth("INITIALIZING", -1, null).describe()).isEqualTo("job INITIALIZING");
    }
}
