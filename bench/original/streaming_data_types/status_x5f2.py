"""x5f2 status (heartbeat) messages: serialise and deserialise."""
from collections import namedtuple

import flatbuffers

from streaming_data_types.fbschemas.status_x5f2 import Status as fb

FILE_IDENTIFIER = b"x5f2"

StatusMessage = namedtuple(
    "StatusMessage",
    (
        "software_name",
        "software_version",
        "service_id",
        "host_name",
        "process_id",
        "update_interval",
        "status_json",
    ),
)


def serialise_x5f2(
    software_name, software_version, service_id, host_name, process_id, update_interval,
    status_json,
):
    builder = flatbuffers.Builder(256)
    strings = [builder.CreateString(s) for s in
               (software_name, software_version, service_id, host_name, status_json)]
    fb.StatusStart(builder)
    fb.StatusAddSoftwareName(builder, strings[0])
    fb.StatusAddSoftwareVersion(builder, strings[1])
    fb.StatusAddServiceId(builder, strings[2])
    fb.StatusAddHostName(builder, strings[3])
    fb.StatusAddProcessId(builder, process_id)
    fb.StatusAddUpdateInterval(builder, update_interval)
    fb.StatusAddStatusJson(builder, strings[4])
    builder.Finish(fb.StatusEnd(builder), file_identifier=FILE_IDENTIFIER)
    return bytes(builder.Output())


def deserialise_x5f2(buffer):
    if bytes(buffer[4:8]) != FILE_IDENTIFIER:
        raise ValueError(f"not an x5f2 buffer: {bytes(buffer[4:8])!r}")
    s = fb.Status.GetRootAs(buffer, 0)

    def text(value):
        return value.decode() if value else ""

    return StatusMessage(text(s.SoftwareName()), text(s.SoftwareVersion()), text(s.ServiceId()),
                         text(s.HostName()), s.ProcessId(), s.UpdateInterval(),
                         text(s.StatusJson()))
