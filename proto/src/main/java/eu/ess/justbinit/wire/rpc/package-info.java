/**
 * The controller-worker contract: the gRPC messages generated from `supervisor.proto` and
 * `state.proto`, and the process contract around them.
 */
package eu.ess.justbinit.wire.rpc;
