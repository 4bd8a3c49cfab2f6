package eu.ess.justbinit.controller.supervisor;

import eu.ess.justbinit.wire.rpc.ControllerMessage;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** The controller's side of a worker's stream in a unit test: keeps what is sent on it. */
final class RecordingStream implements StreamObserver<ControllerMessage> {
  private final List<ControllerMessage> sent = new ArrayList<>();
  private boolean completed;

  @Override
  public synchronized void onNext(ControllerMessage message) {
    sent.add(message);
  }

  @Override
  public void onError(Throwable error) {
    throw new AssertionError("the controller never fails a worker's stream", error);
  }

  @Override
  public synchronized void onCompleted() {
    completed = true;
  }

  /** What kinds of message were sent, in order. */
  synchronized List<ControllerMessage.BodyCase> kinds() {
    return sent.stream().map(ControllerMessage::getBodyCase).toList();
  }

  synchronized List<ControllerMessage> sent() {
    return List.copyOf(sent);
  }

  synchronized boolean completed() {
    return completed;
  }
}
