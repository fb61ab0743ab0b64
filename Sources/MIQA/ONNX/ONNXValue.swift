import Tensor

/// A value flowing through an imported graph: float activations and weights as tensors in
/// ONNX's own (channels-first) layout, integer tensors (shapes, axes, indices) on the host. The
/// integer side is where exporters' shape arithmetic (Shape -> Gather -> Concat -> Reshape)
/// runs; it only ever sees small constant-sized data, so computing it at run time is the
/// constant folding.
enum ONNXValue {
    case float(Tensor)
    case integer(shape: [Int], values: [Int64])

    var shape: [Int] {
        switch self {
        case let .float(t): return t.shape
        case let .integer(shape, _): return shape
        }
    }

    /// The value as float32 (integers converted).
    var asFloat: Tensor {
        switch self {
        case let .float(t): return t
        case let .integer(shape, values): return Tensor(shape: shape, values: values.map(Float.init))
        }
    }
}
