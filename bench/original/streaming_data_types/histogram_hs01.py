"""hs01 histogram messages: serialise and deserialise (dicts, upstream's keys)."""
import flatbuffers
import numpy as np

from streaming_data_types.fbschemas.histogram_hs01 import ArrayDouble, ArrayFloat, ArrayInt
from streaming_data_types.fbschemas.histogram_hs01 import ArrayLong, DimensionMetaData
from streaming_data_types.fbschemas.histogram_hs01 import EventHistogram as fb
from streaming_data_types.fbschemas.histogram_hs01.Array import Array

FILE_IDENTIFIER = b"hs01"

# union type -> (module, numpy dtype)
_ARRAYS = {
    Array.ArrayInt: (ArrayInt, np.int32),
    Array.ArrayLong: (ArrayLong, np.int64),
    Array.ArrayDouble: (ArrayDouble, np.float64),
    Array.ArrayFloat: (ArrayFloat, np.float32),
}


def _union_type(values):
    if values.dtype == np.int32:
        return Array.ArrayInt
    if values.dtype.kind in "iu":
        return Array.ArrayLong
    if values.dtype == np.float32:
        return Array.ArrayFloat
    return Array.ArrayDouble


def _serialise_array(builder, values):
    values = np.asarray(values)
    kind = _union_type(values)
    module, dtype = _ARRAYS[kind]
    vector = builder.CreateNumpyVector(np.ascontiguousarray(values.ravel(), dtype=dtype))
    name = module.__name__.rsplit(".", 1)[1]
    getattr(module, name + "Start")(builder)
    getattr(module, name + "AddValue")(builder, vector)
    return kind, getattr(module, name + "End")(builder)


def _deserialise_array(kind, table):
    if kind == Array.NONE or table is None:
        return np.array([])
    module, _ = _ARRAYS[kind]
    name = module.__name__.rsplit(".", 1)[1]
    holder = getattr(module, name)()
    holder.Init(table.Bytes, table.Pos)
    return holder.ValueAsNumpy()


def serialise_hs01(histogram):
    data = np.asarray(histogram["data"])
    builder = flatbuffers.Builder(1024 + 8 * data.size)
    source = builder.CreateString(histogram.get("source", ""))
    info = builder.CreateString(histogram.get("info", ""))
    dims = []
    for meta in histogram.get("dim_metadata", []):
        unit = builder.CreateString(meta.get("unit", ""))
        label = builder.CreateString(meta.get("label", ""))
        kind, edges = _serialise_array(builder, meta["bin_boundaries"])
        DimensionMetaData.DimensionMetaDataStart(builder)
        DimensionMetaData.DimensionMetaDataAddLength(builder, int(meta["length"]))
        DimensionMetaData.DimensionMetaDataAddUnit(builder, unit)
        DimensionMetaData.DimensionMetaDataAddLabel(builder, label)
        DimensionMetaData.DimensionMetaDataAddBinBoundariesType(builder, kind)
        DimensionMetaData.DimensionMetaDataAddBinBoundaries(builder, edges)
        dims.append(DimensionMetaData.DimensionMetaDataEnd(builder))
    fb.EventHistogramStartDimMetadataVector(builder, len(dims))
    for d in reversed(dims):
        builder.PrependUOffsetTRelative(d)
    dim_vector = builder.EndVector()
    shape = builder.CreateNumpyVector(np.asarray(histogram["current_shape"], dtype=np.int32))
    data_kind, data_table = _serialise_array(builder, data)
    errors = None
    if "errors" in histogram:
        errors = _serialise_array(builder, histogram["errors"])
    fb.EventHistogramStart(builder)
    fb.EventHistogramAddSource(builder, source)
    fb.EventHistogramAddInfo(builder, info)
    fb.EventHistogramAddTimestamp(builder, int(histogram.get("timestamp", 0)))
    fb.EventHistogramAddLastMetadataTimestamp(
        builder, int(histogram.get("last_metadata_timestamp", 0)))
    fb.EventHistogramAddDimMetadata(builder, dim_vector)
    fb.EventHistogramAddCurrentShape(builder, shape)
    fb.EventHistogramAddDataType(builder, data_kind)
    fb.EventHistogramAddData(builder, data_table)
    if errors is not None:
        fb.EventHistogramAddErrorsType(builder, errors[0])
        fb.EventHistogramAddErrors(builder, errors[1])
    builder.Finish(fb.EventHistogramEnd(builder), file_identifier=FILE_IDENTIFIER)
    return bytes(builder.Output())


def deserialise_hs01(buffer):
    if bytes(buffer[4:8]) != FILE_IDENTIFIER:
        raise ValueError(f"not an hs01 buffer: {bytes(buffer[4:8])!r}")
    h = fb.EventHistogram.GetRootAs(buffer, 0)
    shape = h.CurrentShapeAsNumpy().tolist()
    dims = []
    for i in range(h.DimMetadataLength()):
        d = h.DimMetadata(i)
        dims.append({
            "length": d.Length(),
            "unit": d.Unit().decode() if d.Unit() else "",
            "label": d.Label().decode() if d.Label() else "",
            "bin_boundaries": _deserialise_array(d.BinBoundariesType(), d.BinBoundaries()),
        })
    data = _deserialise_array(h.DataType(), h.Data())
    result = {
        "source": h.Source().decode() if h.Source() else "",
        "timestamp": h.Timestamp(),
        "current_shape": shape,
        "dim_metadata": dims,
        "data": data.reshape(shape) if data.size == int(np.prod(shape)) else data,
        "last_metadata_timestamp": h.LastMetadataTimestamp(),
        "info": h.Info().decode() if h.Info() else "",
    }
    if h.ErrorsType() != Array.NONE:
        errors = _deserialise_array(h.ErrorsType(), h.Errors())
        result["errors"] = errors.reshape(shape) if errors.size == data.size else errors
    return result
