"""ev42 event messages: deserialise only (the bench reads ev44; kept for the original's imports)."""
from collections import namedtuple

from streaming_data_types.fbschemas.eventdata_ev42 import EventMessage as fb

FILE_IDENTIFIER = b"ev42"

EventData = namedtuple(
    "EventData", ("source_name", "message_id", "pulse_time", "time_of_flight", "detector_id")
)


def deserialise_ev42(buffer):
    if bytes(buffer[4:8]) != FILE_IDENTIFIER:
        raise ValueError(f"not an ev42 buffer: {bytes(buffer[4:8])!r}")
    e = fb.EventMessage.GetRootAs(buffer, 0)
    return EventData(e.SourceName().decode() if e.SourceName() else "", e.MessageId(),
                     e.PulseTime(), e.TimeOfFlightAsNumpy(), e.DetectorIdAsNumpy())


def serialise_ev42(*_args, **_kwargs):
    raise NotImplementedError("ev42 serialisation is not part of this subset")
