import Foundation
import Tensor

/// Activations, binary arithmetic (float and integer), Softmax.
enum ONNXElementwiseOps {
    static func pointwise(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let op: Pointwise
        switch c.node.opType {
        case "Relu": op = .relu
        case "LeakyRelu": op = .leakyRelu(alpha: c.float("alpha", 0.01))
        case "Sigmoid": op = .sigmoid
        case "HardSigmoid": op = .hardSigmoid(alpha: c.float("alpha", 0.2), beta: c.float("beta", 0.5))
        case "HardSwish": op = .hardSwish
        case "Tanh": op = .tanh
        case "Clip":
            // Opset 11 moved min and max from attributes to optional inputs.
            if c.opset >= 11 {
                let lo = c.hasInput(1) ? try scalar(c, 1) : -Float.greatestFiniteMagnitude
                let hi = c.hasInput(2) ? try scalar(c, 2) : Float.greatestFiniteMagnitude
                op = .clip(min: lo, max: hi)
            } else {
                op = .clip(min: c.float("min", -Float.greatestFiniteMagnitude), max: c.float("max", Float.greatestFiniteMagnitude))
            }
        default: throw ONNXError.unsupportedOperator(c.url, node: c.name, op: c.node.opType)
        }
        return [.float(op.applied(to: try c.tensor(0)))]
    }

    static func scalar(_ c: ONNXNodeContext, _ i: Int) throws -> Float {
        let v = try c.tensor(i)
        guard v.count == 1 else { throw c.invalid("input \(i) must be a scalar, got shape \(v.shape)") }
        return v.values[0]
    }

    static func binary(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let a = try c.value(0), b = try c.value(1)
        guard let shape = Broadcast.shape(a.shape, b.shape) else {
            throw c.invalid("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        try c.bounded(shape)
        if case let .integer(sa, va) = a, case let .integer(sb, vb) = b {
            return [.integer(shape: shape, values: try integerBinary(c, sa, va, sb, vb, shape))]
        }
        let op: Broadcast.Operation
        switch c.node.opType {
        case "Add": op = .add
        case "Sub": op = .subtract
        case "Mul": op = .multiply
        default: op = .divide
        }
        return [.float(Broadcast.apply(op, a.asFloat, b.asFloat))]
    }

    /// Integer arithmetic of shape computations; division truncates as ONNX's integer Div does.
    static func integerBinary(_ c: ONNXNodeContext, _ sa: [Int], _ va: [Int64], _ sb: [Int], _ vb: [Int64], _ shape: [Int]) throws -> [Int64] {
        // Broadcast through float index tensors would lose int64 precision; walk the indices.
        let count = shape.reduce(1, *)
        func index(_ of: [Int], _ flat: Int) -> Int {
            var rem = flat, idx = 0, mul = 1
            for k in stride(from: shape.count - 1, through: 0, by: -1) {
                let i = rem % shape[k]; rem /= shape[k]
                let j = k - (shape.count - of.count)
                if j >= 0 { idx += (of[j] == 1 ? 0 : i) * mul; mul *= of[j] }
            }
            return idx
        }
        return try (0..<count).map { o in
            let x = va[index(sa, o)], y = vb[index(sb, o)]
            switch c.node.opType {
            case "Add": return x &+ y
            case "Sub": return x &- y
            case "Mul": return x &* y
            default:
                guard y != 0 else { throw c.invalid("integer division by zero") }
                // Int64.min / -1 wraps (as in C on two's complement) instead of trapping.
                return x.dividedReportingOverflow(by: y).partialValue
            }
        }
    }

    static func softmax(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try c.tensor(0)
        if c.opset >= 13 {
            return [.float(Softmax.along(x, axis: try c.axis(c.int("axis", -1), rank: x.rank)))]
        }
        // Before opset 13: the input is flattened to 2-D at `axis` and normalised over the second part.
        let axis = try c.axis(c.int("axis", 1), rank: x.rank)
        let rows = x.shape[..<axis].reduce(1, *)
        let y = Softmax.along(x.reshaped([rows, x.count / max(1, rows)]), axis: 1)
        return [.float(y.reshaped(x.shape))]
    }
}

extension ONNXElementwiseOps {
    /// ReduceMean over `axes` (attribute before opset 18, input from 18; none = all axes), with
    /// `keepdims` (default 1). Sums in double.
    static func reduceMean(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let x = try c.tensor(0)
        let rank = x.rank
        let given = c.opset >= 18 ? try c.optionalIntegers(1)?.map { Int($0) } : c.ints("axes")
        if (given ?? []).isEmpty && c.int("noop_with_empty_axes", 0) != 0 { return [.float(x)] }
        let axes = Set(try (given.flatMap { $0.isEmpty ? nil : $0 } ?? Array(0..<rank)).map { try c.axis($0, rank: rank) })
        let keep = c.int("keepdims", 1) != 0
        let reducedShape = x.shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let outStrides = rowMajorStrides(reducedShape)
        // Each input element adds into the output element with its reduced axes set to 0.
        let sourceStrides = x.shape.indices.map { axes.contains($0) ? 0 : outStrides[$0] }
        var sums = [Double](repeating: 0, count: reducedShape.reduce(1, *))
        let values = x.values
        var index = [Int](repeating: 0, count: rank), o = 0
        for v in values {
            sums[o] += Double(v)
            var k = rank - 1
            while k >= 0 {
                index[k] += 1; o += sourceStrides[k]
                if index[k] < x.shape[k] { break }
                o -= sourceStrides[k] * x.shape[k]; index[k] = 0; k -= 1
            }
        }
        let n = Double(max(1, axes.reduce(1) { $0 * x.shape[$1] }))
        let shape = keep ? reducedShape : x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
        return [.float(Tensor(shape: shape, values: sums.map { Float($0 / n) }))]
    }
}
