package dev.leakhound.core.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream on its own thread, a few reads ahead of the consumer: used to inflate gzip input on the
 * second core while the parser works on what came before. The consumer gets exactly the chunks the source's
 * reads returned, in order, and then the source's end or exception (the same exception object), so the
 * parser sees what it would have seen reading the source itself.
 *
 * <p>The thread owns the source: it closes it when it stops, so the source is never closed during one of its
 * reads. {@link #close} asks the thread to stop and waits until it has (at most one read of the source).
 */
final class ReadAhead extends BlockInputStream {
    private static final Object END = new Object();

    private final InputStream src;
    private final int readSize;
    private final ArrayBlockingQueue<Object> full;      // byte[] chunk, Chunk, a Throwable, or END
    private final ArrayBlockingQueue<byte[]> empty;     // buffers handed back for reuse
    private final Thread thread;
    /** What ended the reading thread, set before it tries to hand it over (which can fail when out of memory). */
    private volatile Throwable failure;
    private volatile boolean closed;
    private volatile IOException closeError;
    private byte[] cur;
    private int pos;
    private int len;
    private boolean done;

    private record Chunk(byte[] buf, int len) {}

    ReadAhead(InputStream src, int readSize, int depth) {
        this.src = src;
        this.readSize = readSize;
        this.full = new ArrayBlockingQueue<>(depth + 1);
        this.empty = new ArrayBlockingQueue<>(depth + 2);
        this.thread = new Thread(this::produce, "leakhound-read-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    private void produce() {
        try {
            while (!closed) {
                byte[] buf = empty.poll();
                if (buf == null) {
                    buf = new byte[readSize];
                }
                int n = src.read(buf, 0, readSize);
                if (n < 0) {
                    put(END);
                    return;
                }
                if (n > 0) {
                    put(new Chunk(buf, n));
                }
            }
        } catch (Throwable t) {
            failure = t;   // first, without allocating: out of memory, the hand-over below may fail
            try {
                put(t);
            } catch (Throwable again) {
                // the reader finds 'failure' when the queue stays empty
            }
        } finally {
            try {
                src.close();
            } catch (IOException e) {
                closeError = e;
            }
        }
    }

    private void put(Object o) {
        try {
            while (!closed && !full.offer(o, 50, TimeUnit.MILLISECONDS)) {
                // the consumer is behind (or gone: closed ends this)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int read(byte[] b, int off, int want) throws IOException {
        if (want == 0) {
            return 0;
        }
        while (cur == null || pos == len) {
            if (done) {
                return -1;
            }
            if (cur != null) {
                empty.offer(cur);
                cur = null;
            }
            Object o;
            try {
                o = full.poll(50, TimeUnit.MILLISECONDS);
                while (o == null) {
                    Throwable f = failure;
                    if (f != null) {
                        o = full.isEmpty() ? f : full.poll();   // a chunk handed over before the failure comes first
                    } else if (!thread.isAlive() && full.isEmpty()) {
                        throw new IOException("the read-ahead thread ended without a result");
                    } else {
                        o = full.poll(50, TimeUnit.MILLISECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading");
            }
            if (o == END) {
                done = true;
                return -1;
            }
            if (o instanceof Throwable) {
                done = true;
                Throwable t = (Throwable) o;
                if (t instanceof IOException) {
                    throw (IOException) t;
                }
                if (t instanceof RuntimeException) {
                    throw (RuntimeException) t;
                }
                if (t instanceof Error) {
                    throw (Error) t;
                }
                throw new IOException(t);
            }
            Chunk c = (Chunk) o;
            cur = c.buf;
            len = c.len;
            pos = 0;
        }
        int n = Math.min(want, len - pos);
        System.arraycopy(cur, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Whether the reading thread is still alive (for tests). */
    boolean running() {
        return thread.isAlive();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        full.clear();   // a hand-over waiting for room sees 'closed' within its poll interval
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();   // it stops after its current read of the source, which it then closes
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (closeError != null) {
            throw closeError;
        }
    }
}
