package eu.ess.justbinit.wire.codec;

/**
 * An x5f2 status (heartbeat) message. Absent strings decode as "".
 *
 * @param processId unsigned 32-bit on the wire
 * @param updateIntervalMs unsigned 32-bit on the wire: when to expect the next status
 */
public record StatusMessage(
    String softwareName,
    String softwareVersion,
    String serviceId,
    String hostName,
    long processId,
    long updateIntervalMs,
    String statusJson) {}
