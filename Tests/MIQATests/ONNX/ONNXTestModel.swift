import Foundation
import ONNXFormat

/// ONNX files built in tests with SwiftProtobuf: one node reading input `x` (dims, 0 = a named
/// free dimension) and writing output `y`, opset 13.
enum ONNXTestModel {
    static func data(node: Onnx_NodeProto, initializers: [Onnx_TensorProto], inputDims: [Int64]) throws -> Data {
        var input = Onnx_ValueInfoProto()
        input.name = "x"
        input.type.tensorType.shape.dim = inputDims.map { v in
            var d = Onnx_TensorShapeProto.Dimension()
            if v > 0 { d.dimValue = v } else { d.dimParam = "batch" }
            return d
        }
        var output = Onnx_ValueInfoProto()
        output.name = "y"
        var m = Onnx_ModelProto()
        m.irVersion = 8
        var opset = Onnx_OperatorSetIdProto()
        opset.version = 13
        m.opsetImport = [opset]
        m.graph.node = [node]
        m.graph.initializer = initializers
        m.graph.input = [input]
        m.graph.output = [output]
        return try m.serializedData()
    }
}
