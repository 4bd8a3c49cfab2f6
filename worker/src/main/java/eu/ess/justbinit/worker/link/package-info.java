/**
 * In a worker: the gRPC stream to the controller, the messages sent on it, and the watch that ends
 * the worker when the controller is gone.
 */
package eu.ess.justbinit.worker.link;
