package io.sensorflow.simulator.output;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** JSON lines: each payload on its own line (an empty payload is an empty line). Keys are not written. */
public final class StdoutMessageSink implements MessageSink {

    private final OutputStream out;
    private final boolean closeUnderlying;

    /** Writes to the process's standard output. */
    public StdoutMessageSink() {
        this(new FileOutputStream(FileDescriptor.out), false);
    }

    public StdoutMessageSink(OutputStream out, boolean closeUnderlying) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.closeUnderlying = closeUnderlying;
    }

    @Override
    public void send(int sensor, byte[] key, byte[] payload, int length) {
        try {
            out.write(payload, 0, length);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        flush();
        if (closeUnderlying) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
