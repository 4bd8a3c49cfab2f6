package eu.ess.justbinit.controller.supervisor;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker JVM that is not there, for unit tests of the pool and of a supervised histogram: it
 * exits when the test says so ({@link #exit}), and its exit callbacks run in the test's thread.
 */
final class FakeProcess extends Process {
  /** The exit code of a killed one (128 + SIGKILL). */
  static final int KILLED = 137;

  private static final AtomicLong PIDS = new AtomicLong(1_000_000);

  private final long pid = PIDS.incrementAndGet();
  private final CompletableFuture<Process> exit = new CompletableFuture<>();
  private volatile int exitCode = -1;

  /** Exits with {@code code}, unless it has exited already. */
  void exit(int code) {
    synchronized (this) {
      if (exit.isDone()) {
        return;
      }
      exitCode = code;
    }
    exit.complete(this);
  }

  boolean killed() {
    return exit.isDone() && exitCode == KILLED;
  }

  @Override
  public OutputStream getOutputStream() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public InputStream getInputStream() {
    return InputStream.nullInputStream();
  }

  @Override
  public InputStream getErrorStream() {
    return InputStream.nullInputStream();
  }

  @Override
  public int waitFor() throws InterruptedException {
    try {
      exit.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    return exitCode;
  }

  @Override
  public int exitValue() {
    if (!exit.isDone()) {
      throw new IllegalThreadStateException("still running");
    }
    return exitCode;
  }

  @Override
  public void destroy() {
    exit(KILLED);
  }

  @Override
  public Process destroyForcibly() {
    destroy();
    return this;
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone();
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public CompletableFuture<Process> onExit() {
    return exit;
  }
}
