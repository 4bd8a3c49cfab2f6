"""ev44 event messages: serialise and deserialise (numpy arrays, upstream's field names)."""
from collections import namedtuple

import flatbuffers
import numpy as np

from streaming_data_types.fbschemas.eventdata_ev44 import Event44Message as fb

FILE_IDENTIFIER = b"ev44"

EventData = namedtuple(
    "EventData",
    (
        "source_name",
        "message_id",
        "reference_time",
        "reference_time_index",
        "time_of_flight",
        "pixel_id",
    ),
)


def deserialise_ev44(buffer):
    if bytes(buffer[4:8]) != FILE_IDENTIFIER:
        raise ValueError(f"not an ev44 buffer: {bytes(buffer[4:8])!r}")
    event = fb.Event44Message.GetRootAs(buffer, 0)
    return EventData(
        event.SourceName().decode() if event.SourceName() else "",
        event.MessageId(),
        event.ReferenceTimeAsNumpy(),
        event.ReferenceTimeIndexAsNumpy(),
        event.TimeOfFlightAsNumpy(),
        event.PixelIdAsNumpy(),
    )


def serialise_ev44(
    source_name, message_id, reference_time, reference_time_index, time_of_flight, pixel_id
):
    builder = flatbuffers.Builder(1024 + 8 * len(time_of_flight))
    builder.ForceDefaults(True)
    source = builder.CreateString(source_name)
    ref = builder.CreateNumpyVector(np.asarray(reference_time, dtype=np.int64))
    ref_index = builder.CreateNumpyVector(np.asarray(reference_time_index, dtype=np.int32))
    tof = builder.CreateNumpyVector(np.asarray(time_of_flight, dtype=np.int32))
    pix = builder.CreateNumpyVector(np.asarray(pixel_id, dtype=np.int32))
    fb.Event44MessageStart(builder)
    fb.Event44MessageAddSourceName(builder, source)
    fb.Event44MessageAddMessageId(builder, message_id)
    fb.Event44MessageAddReferenceTime(builder, ref)
    fb.Event44MessageAddReferenceTimeIndex(builder, ref_index)
    fb.Event44MessageAddTimeOfFlight(builder, tof)
    fb.Event44MessageAddPixelId(builder, pix)
    builder.Finish(fb.Event44MessageEnd(builder), file_identifier=FILE_IDENTIFIER)
    return bytes(builder.Output())
