import Foundation
import Tensor

/// An imported ONNX model ready to run on the toolkit's engine (bring your own machine).
///
/// Made from a checked `ONNXModelFile`: every node's operator and every attribute it sets are
/// checked against the importer's set before anything runs, so an unsupported operator or
/// attribute is an error naming the node and operator, never a silent wrong result. Running
/// interprets the nodes in file order (ONNX requires topological order); convolutions go to
/// oneDNN, the rest to the engine's general tensor ops; integer values (shapes, axes) are
/// computed on the host, which folds exporters' shape arithmetic.
public final class ONNXGraph: @unchecked Sendable {
    public let file: ONNXModelFile
    private let constants: [String: ONNXValue]
    private let kernels = ONNXKernelCache()

    typealias Operator = @Sendable (ONNXNodeContext, ONNXKernelCache) throws -> [ONNXValue]

    /// Each supported operator with the attributes it understands.
    static let operators: [String: (attributes: Set<String>, run: Operator)] = [
        "Conv": (["auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"], { try ONNXConvolutionOps.conv($0, cache: $1) }),
        "ConvTranspose": (["auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads", "strides"],
                          { try ONNXConvolutionOps.convTranspose($0, cache: $1) }),
        "BatchNormalization": (["epsilon", "momentum", "training_mode", "spatial"], { c, _ in try ONNXConvolutionOps.batchNorm(c) }),
        "MaxPool": (["auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"],
                    { c, _ in try ONNXConvolutionOps.pool(c, max: true) }),
        "AveragePool": (["auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"],
                        { c, _ in try ONNXConvolutionOps.pool(c, max: false) }),
        "GlobalAveragePool": ([], { c, _ in try ONNXConvolutionOps.globalAveragePool(c) }),
        "Relu": ([], { c, _ in try ONNXElementwiseOps.pointwise(c) }),
        "LeakyRelu": (["alpha"], { c, _ in try ONNXElementwiseOps.pointwise(c) }),
        "Clip": (["min", "max"], { c, _ in try ONNXElementwiseOps.pointwise(c) }),
        "Sigmoid": ([], { c, _ in try ONNXElementwiseOps.pointwise(c) }),
        "HardSigmoid": (["alpha", "beta"], { c, _ in try ONNXElementwiseOps.pointwise(c) }),
        "HardSwish": ([], { c, _ in try ONNXElementwiseOps.pointwise(c) }),
        "Tanh": ([], { c, _ in try ONNXElementwiseOps.pointwise(c) }),
        "Add": ([], { c, _ in try ONNXElementwiseOps.binary(c) }),
        "Sub": ([], { c, _ in try ONNXElementwiseOps.binary(c) }),
        "Mul": ([], { c, _ in try ONNXElementwiseOps.binary(c) }),
        "Div": ([], { c, _ in try ONNXElementwiseOps.binary(c) }),
        "Softmax": (["axis"], { c, _ in try ONNXElementwiseOps.softmax(c) }),
        "ReduceMean": (["axes", "keepdims", "noop_with_empty_axes"], { c, _ in try ONNXElementwiseOps.reduceMean(c) }),
        "Flatten": (["axis"], { c, _ in try ONNXShapeOps.flatten(c) }),
        "Reshape": (["allowzero"], { c, _ in try ONNXShapeOps.reshapeOp(c) }),
        "Transpose": (["perm"], { c, _ in try ONNXShapeOps.transpose(c) }),
        "Concat": (["axis"], { c, _ in try ONNXShapeOps.concat(c) }),
        "Slice": (["starts", "ends", "axes"], { c, _ in try ONNXShapeOps.slice(c) }),
        "Split": (["axis", "split", "num_outputs"], { c, _ in try ONNXShapeOps.split(c) }),
        "Squeeze": (["axes"], { c, _ in try ONNXShapeOps.squeeze(c) }),
        "Unsqueeze": (["axes"], { c, _ in try ONNXShapeOps.unsqueeze(c) }),
        "Shape": (["start", "end"], { c, _ in try ONNXShapeOps.shape(c) }),
        "Gather": (["axis"], { c, _ in try ONNXShapeOps.gather(c) }),
        "Constant": (["value", "value_float", "value_floats", "value_int", "value_ints"], { c, _ in try ONNXShapeOps.constant(c) }),
        "Identity": ([], { c, _ in try ONNXShapeOps.identity(c) }),
        "Dropout": (["seed", "ratio", "is_test"], { c, _ in try ONNXShapeOps.identity(c) }),
        "Cast": (["to", "saturate"], { c, _ in try ONNXShapeOps.cast(c) }),
        "Pad": (["mode", "pads", "value"], { c, _ in try ONNXShapeOps.pad(c) }),
        "Gemm": (["alpha", "beta", "transA", "transB"], { c, _ in try ONNXMatrixOps.gemm(c) }),
        "MatMul": ([], { c, _ in try ONNXMatrixOps.matMul(c) }),
        "Resize": (["mode", "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "exclude_outside",
                    "extrapolation_value", "antialias", "axes", "keep_aspect_ratio_policy"], { c, _ in try ONNXResizeOps.resize(c) }),
        "Upsample": (["mode", "scales"], { c, _ in try ONNXResizeOps.upsample(c) }),
    ]

    /// The operator names the importer runs, sorted (for docs and errors).
    public static var supportedOperators: [String] { operators.keys.sorted() }

    /// The most values one computed output may hold (default: the bound of the file's own
    /// tensors, 2^28). A caller that runs untrusted graphs with small inputs (the fuzzer) lowers it.
    public var maxOutputValues = ONNXModelFile.maxElements

    public convenience init(contentsOf url: URL) throws {
        try self.init(file: ONNXModelFile(contentsOf: url))
    }

    /// Checks every node against the supported set.
    public init(file: ONNXModelFile) throws {
        self.file = file
        var constants: [String: ONNXValue] = [:]
        for (name, value) in file.initializers {
            switch value {
            case let .float(stored): constants[name] = .float(Tensor(shape: stored.shape, values: stored.values))
            case let .integer(shape, values): constants[name] = .integer(shape: shape, values: values)
            }
        }
        self.constants = constants
        var produced = Set(constants.keys).union(file.inputs.map(\.name))
        for node in file.nodes {
            let name = node.name.isEmpty ? (node.outputs.first ?? "?") : node.name
            guard node.domain.isEmpty || node.domain == "ai.onnx", let op = Self.operators[node.opType] else {
                throw ONNXError.unsupportedOperator(file.url, node: name, op: node.domain.isEmpty ? node.opType : "\(node.domain).\(node.opType)")
            }
            for key in node.attributes.keys.sorted() where !op.attributes.contains(key) {
                throw ONNXError.unsupportedAttribute(file.url, node: name, op: node.opType, attribute: key, detail: "(not implemented)")
            }
            for input in node.inputs where !input.isEmpty && !produced.contains(input) {
                throw ONNXError.missingValue(file.url, name: input, reason: "node '\(name)' (\(node.opType)) reads it before any node produces it")
            }
            produced.formUnion(node.outputs.filter { !$0.isEmpty })
        }
        for output in file.outputs where !produced.contains(output) {
            throw ONNXError.missingValue(file.url, name: output, reason: "a graph output that no node produces")
        }
    }

    /// Runs the graph on `inputs` (float tensors by graph input name, channels-first as the
    /// model declares them) and returns every graph output.
    public func run(_ inputs: [String: Tensor]) throws -> [String: Tensor] {
        var values = constants
        for input in file.inputs {
            guard let t = inputs[input.name] else {
                throw ONNXError.missingValue(file.url, name: input.name, reason: "a graph input that was not given")
            }
            let declared = input.shape
            guard declared.count == t.rank, zip(declared, t.shape).allSatisfy({ $0 == nil || $0 == $1 }) else {
                throw ONNXError.missingValue(file.url, name: input.name, reason: "given shape \(t.shape), the model declares \(declared.map { $0.map(String.init) ?? "?" })")
            }
            values[input.name] = .float(t)
        }
        // Values no later node reads are dropped as soon as they are used.
        var lastUse: [String: Int] = [:]
        for (i, node) in file.nodes.enumerated() { for input in node.inputs { lastUse[input] = i } }
        let keep = Set(file.outputs)
        for (i, node) in file.nodes.enumerated() {
            var context = ONNXNodeContext(url: file.url, node: node, opset: file.opset,
                                          inputs: node.inputs.map { $0.isEmpty ? nil : values[$0] })
            context.maxValues = maxOutputValues
            let results = try Self.operators[node.opType]!.run(context, kernels)
            for (name, value) in zip(node.outputs, results) where !name.isEmpty { values[name] = value }
            for input in node.inputs where lastUse[input] == i && !keep.contains(input) && constants[input] == nil {
                values[input] = nil
            }
        }
        var outputs: [String: Tensor] = [:]
        for name in file.outputs { outputs[name] = values[name]!.asFloat }
        return outputs
    }
}
