import Foundation
import ONNXFormat
import Tensor

/// Shape, indexing and constant operators. Each works on float tensors and on the integer
/// tensors of shape arithmetic alike.
enum ONNXShapeOps {
    // MARK: value plumbing

    /// The value re-shaped (same elements).
    static func reshape(_ v: ONNXValue, _ shape: [Int]) -> ONNXValue {
        switch v {
        case let .float(t): return .float(t.shape == shape ? t : t.reshaped(shape))
        case let .integer(_, values): return .integer(shape: shape, values: values)
        }
    }

    /// Per-axis index selection (see `IndexSelect`) for either kind of value.
    static func select(_ v: ONNXValue, _ indices: [[Int]], fill: Float = 0) -> ONNXValue {
        switch v {
        case let .float(t): return .float(IndexSelect.select(t, indices: indices, fill: fill))
        case let .integer(shape, values):
            let strides = rowMajorStrides(shape)
            var out: [Int64] = []
            func walk(_ k: Int, _ offset: Int, _ filled: Bool) {
                if k == shape.count { out.append(filled ? Int64(fill) : values[offset]); return }
                for i in indices[k] { walk(k + 1, offset + max(i, 0) * strides[k], filled || i < 0) }
            }
            walk(0, 0, false)
            return .integer(shape: indices.map(\.count), values: out)
        }
    }

    static func all(_ shape: [Int]) -> [[Int]] { shape.map { Array(0..<$0) } }

    // MARK: operators

    static func identity(_ c: ONNXNodeContext) throws -> [ONNXValue] { [try c.value(0)] }

    static func flatten(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        let rank = v.shape.count
        var axis = c.int("axis", 1)
        if axis < 0 { axis += rank }
        guard axis >= 0, axis <= rank else { throw c.invalid("axis \(c.int("axis", 1)) is out of range for rank \(rank)") }
        let outer = v.shape[..<axis].reduce(1, *)
        return [reshape(v, [outer, v.shape.reduce(1, *) / max(1, outer)])]
    }

    static func reshapeOp(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        let requested = try c.integers(1).map { Int($0) }
        let allowZero = c.int("allowzero", 0) != 0
        var shape = requested.enumerated().map { k, d in d == 0 && !allowZero ? (k < v.shape.count ? v.shape[k] : -2) : d }
        guard !shape.contains(-2) else { throw c.invalid("shape \(requested) copies a dimension the input \(v.shape) does not have") }
        let total = v.shape.reduce(1, *)
        let unknown = shape.indices.filter { shape[$0] == -1 }
        guard unknown.count <= 1, shape.allSatisfy({ $0 >= -1 }) else { throw c.invalid("shape \(requested) is not a valid target shape") }
        try c.bounded(shape.map { max($0, 1) }, "target")
        if let u = unknown.first {
            let known = shape.enumerated().filter { $0.offset != u }.map(\.element).reduce(1, *)
            guard known > 0, total % known == 0 else { throw c.invalid("cannot reshape \(v.shape) to \(requested)") }
            shape[u] = total / known
        }
        guard shape.reduce(1, *) == total else { throw c.invalid("cannot reshape \(v.shape) (\(total) values) to \(requested)") }
        return [reshape(v, shape)]
    }

    static func transpose(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        let rank = v.shape.count
        let perm = c.ints("perm") ?? Array((0..<rank).reversed())
        guard perm.sorted() == Array(0..<rank) else { throw c.invalid("perm \(perm) is not a permutation of rank \(rank)") }
        switch v {
        case let .float(t): return [.float(Layout.permuted(t, perm))]
        case let .integer(shape, values):
            let t = Layout.permuted(Tensor(shape: shape, values: values.map(Float.init)), perm)
            guard values.allSatisfy({ $0 > -(1 << 24) && $0 < 1 << 24 }) else { throw c.invalid("transposing large integers is not supported") }
            return [.integer(shape: t.shape, values: t.values.map { Int64($0) })]
        }
    }

    static func concat(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let parts = try (0..<c.inputs.count).filter(c.hasInput).map(c.value)
        guard let first = parts.first else { throw c.invalid("no inputs") }
        let rank = first.shape.count
        // ONNX defines Concat for rank >= 1 only; scalars have no axis to join along.
        guard rank > 0 else { throw c.invalid("inputs are scalars; Concat needs rank 1 or more") }
        let axis = try c.axis(c.int("axis", 0), rank: rank)
        for p in parts where p.shape.count != rank || (0..<rank).contains(where: { $0 != axis && p.shape[$0] != first.shape[$0] }) {
            throw c.invalid("inputs \(parts.map(\.shape)) cannot be joined along axis \(axis)")
        }
        var joined = first.shape
        joined[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        try c.bounded(joined)
        if parts.allSatisfy({ if case .integer = $0 { return true } else { return false } }) {
            // Integer parts: join outer blocks one by one.
            let outer = first.shape[..<axis].reduce(1, *)
            var out: [Int64] = []
            for o in 0..<outer {
                for p in parts {
                    guard case let .integer(shape, values) = p else { continue }
                    let width = shape[axis...].reduce(1, *)
                    out += values[(o * width)..<((o + 1) * width)]
                }
            }
            var shape = first.shape
            shape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
            return [.integer(shape: shape, values: out)]
        }
        return [.float(IndexSelect.concatenate(parts.map(\.asFloat), axis: axis))]
    }

    /// The positions numpy's `start:end:step` reads along an axis of `n` (ONNX Slice clamping).
    static func positions(start: Int64, end: Int64, step: Int64, n: Int) -> [Int] {
        let n64 = Int64(n)
        var s = start < 0 ? start + n64 : start, e = end < 0 ? end + n64 : end
        // A step longer than the axis reads one position at most; clamped, striding cannot overflow.
        let step = step > 0 ? min(step, n64 + 1) : max(step, -(n64 + 1))
        if step > 0 {
            s = min(max(s, 0), n64); e = min(max(e, 0), n64)
            return stride(from: Int(s), to: Int(e), by: Int(step)).map { $0 }
        }
        s = min(max(s, -1), n64 - 1); e = min(max(e, -1), n64 - 1)
        return stride(from: Int(s), to: Int(e), by: Int(step)).map { $0 }
    }

    static func slice(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        let rank = v.shape.count
        let starts: [Int64], ends: [Int64], axes: [Int64], steps: [Int64]
        if c.opset >= 10 {
            starts = try c.integers(1); ends = try c.integers(2)
            axes = try c.optionalIntegers(3) ?? (0..<Int64(starts.count)).map { $0 }
            steps = try c.optionalIntegers(4) ?? Array(repeating: 1, count: starts.count)
        } else {
            starts = (c.ints("starts") ?? []).map(Int64.init); ends = (c.ints("ends") ?? []).map(Int64.init)
            axes = (c.ints("axes") ?? Array(0..<starts.count)).map(Int64.init)
            steps = Array(repeating: 1, count: starts.count)
        }
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw c.invalid("starts, ends, axes and steps differ in length")
        }
        var indices = all(v.shape)
        for (i, a) in axes.enumerated() {
            let axis = try c.axis(Int(a), rank: rank)
            guard steps[i] != 0 else { throw c.invalid("step 0") }
            indices[axis] = positions(start: starts[i], end: ends[i], step: steps[i], n: v.shape[axis])
        }
        return [select(v, indices)]
    }

    static func split(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        let axis = try c.axis(c.int("axis", 0), rank: v.shape.count)
        let n = v.shape[axis], parts = c.node.outputs.count
        var sizes: [Int]
        if c.opset >= 13, c.hasInput(1) { sizes = try c.integers(1).map { Int($0) } } else if let s = c.ints("split") { sizes = s } else {
            // Equal parts, the last one smaller when they do not divide (opset 18's num_outputs rule).
            let each = (n + parts - 1) / max(1, parts)
            sizes = (0..<parts).map { min(each, max(0, n - $0 * each)) }
        }
        // The sum is taken only over sizes already known to fit the axis, so it cannot overflow.
        guard sizes.count == parts, sizes.allSatisfy({ $0 >= 0 && $0 <= n }), sizes.reduce(0, +) == n else {
            throw c.invalid("split sizes \(sizes) do not cover \(n) along axis \(axis) in \(parts) outputs")
        }
        var at = 0
        return sizes.map { size in
            var indices = all(v.shape)
            indices[axis] = Array(at..<(at + size))
            at += size
            return select(v, indices)
        }
    }

    static func axesList(_ c: ONNXNodeContext, input: Int) throws -> [Int]? {
        c.opset >= 13 ? try c.optionalIntegers(input)?.map { Int($0) } : c.ints("axes")
    }

    static func squeeze(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        let rank = v.shape.count
        let axes = try (try axesList(c, input: 1) ?? v.shape.indices.filter { v.shape[$0] == 1 }).map { try c.axis($0, rank: rank) }
        for a in axes where v.shape[a] != 1 { throw c.invalid("axis \(a) of \(v.shape) is not 1") }
        return [reshape(v, v.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element))]
    }

    static func unsqueeze(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        guard let given = try axesList(c, input: 1) else { throw c.invalid("axes are missing") }
        let rank = v.shape.count + given.count
        let axes = Set(try given.map { try c.axis($0, rank: rank) })
        guard axes.count == given.count else { throw c.invalid("repeated axes \(given)") }
        var shape: [Int] = [], rest = v.shape[...]
        for k in 0..<rank { if axes.contains(k) { shape.append(1) } else { shape.append(rest.removeFirst()) } }
        return [reshape(v, shape)]
    }

    static func shape(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let dims = try c.value(0).shape
        let rank = dims.count
        var start = c.int("start", 0), end = c.int("end", rank)
        if start < 0 { start += rank }
        if end < 0 { end += rank }
        start = min(max(start, 0), rank); end = min(max(end, start), rank)
        return [.integer(shape: [end - start], values: dims[start..<end].map(Int64.init))]
    }

    static func gather(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        guard case let .integer(indexShape, raw) = try c.value(1) else { throw c.invalid("indices must be integers") }
        let axis = try c.axis(c.int("axis", 0), rank: v.shape.count)
        let n = v.shape[axis]
        try c.bounded(Array(v.shape[..<axis]) + indexShape + Array(v.shape[(axis + 1)...]))
        let picked = try raw.map { i -> Int in
            let k = i < 0 ? Int(i) + n : Int(i)
            guard k >= 0, k < n else { throw c.invalid("index \(i) is out of range for \(n) entries on axis \(axis)") }
            return k
        }
        var indices = all(v.shape)
        indices[axis] = picked
        let chosen = select(v, indices)
        // The indexed axis is replaced by the indices' own shape (a scalar index removes it).
        let shape = Array(v.shape[..<axis]) + indexShape + Array(v.shape[(axis + 1)...])
        return [reshape(chosen, shape)]
    }

    static func constant(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let a = c.node.attributes
        if let t = a["value"] {
            switch try ONNXModelFile.value(t.t, url: c.url) {
            case let .float(stored): return [.float(Tensor(shape: stored.shape, values: stored.values))]
            case let .integer(shape, values): return [.integer(shape: shape, values: values)]
            }
        }
        if let f = a["value_float"] { return [.float(Tensor(shape: [], values: [f.f]))] }
        if let f = a["value_floats"] { return [.float(Tensor(shape: [f.floats.count], values: f.floats))] }
        if let i = a["value_int"] { return [.integer(shape: [], values: [i.i])] }
        if let i = a["value_ints"] { return [.integer(shape: [i.ints.count], values: i.ints)] }
        throw c.unsupported(a.keys.sorted().first ?? "(none)", "(supported: value, value_float(s), value_int(s))")
    }

    static func cast(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        let to = c.int("to", 0)
        switch Onnx_TensorProto.DataType(rawValue: to) {
        case .float?: return [.float(v.asFloat)]
        case .int64?, .int32?:
            switch v {
            case .integer: return [v]
            case let .float(t): return [.integer(shape: t.shape, values: t.values.map { Int64($0.rounded(.towardZero)) })]
            }
        default: throw c.unsupported("to", "= \(to) (only float, int32 and int64)")
        }
    }

    static func pad(_ c: ONNXNodeContext) throws -> [ONNXValue] {
        let v = try c.value(0)
        let rank = v.shape.count
        let mode = try c.choice("mode", "constant", ["constant", "reflect", "edge"])
        var pads: [Int], value: Float = 0
        var axes = Array(0..<rank)
        if c.opset >= 11 {
            pads = try c.integers(1).map { Int($0) }
            if c.hasInput(2) { value = try ONNXElementwiseOps.scalar(c, 2) }
            if c.hasInput(3) { axes = try c.integers(3).map { try c.axis(Int($0), rank: rank) } }
        } else {
            pads = c.ints("pads") ?? []
            value = c.float("value", 0)
        }
        guard pads.count == 2 * axes.count else { throw c.invalid("pads \(pads) do not have 2 entries per axis (\(axes.count) axes)") }
        pads = try pads.map { try c.extent($0, "pad") }
        var padded = v.shape
        for (i, axis) in axes.enumerated() { padded[axis] += pads[i] + pads[i + axes.count] }
        try c.bounded(padded.map { max($0, 0) })
        var indices = all(v.shape)
        for (i, axis) in axes.enumerated() {
            let n = v.shape[axis], before = pads[i], after = pads[i + axes.count]
            guard n + before + after >= 0 else { throw c.invalid("pads \(pads) remove more than axis \(axis) holds") }
            guard before <= 0 || n > 0, mode != "reflect" || (before < n && after < n) else {
                throw c.invalid("reflect padding of \(max(before, after)) needs more than \(n) values on axis \(axis)")
            }
            indices[axis] = (-before..<(n + after)).map { p in
                if p >= 0 && p < n { return p }
                switch mode {
                case "reflect": return p < 0 ? -p : 2 * (n - 1) - p
                case "edge": return p < 0 ? 0 : n - 1
                default: return -1
                }
            }
        }
        return [select(v, indices, fill: value)]
    }
}
