import Foundation
import CDNNL

/// The oneDNN engine and stream shared by every kernel, and small helpers over its C API.
///
/// oneDNN primitives are created once per (operation, shape, attributes) and cached by the ops;
/// creating them is far more expensive than running them on small inputs.
enum DNNL {
    // Argument indices (the C macros are not all importable because some are defined in terms of others).
    static let argSrc: Int32 = 1
    static let argSrc1: Int32 = 2
    static let argDst: Int32 = 17
    static let argWeights: Int32 = 33
    static let argBias: Int32 = 41
    static let argScale: Int32 = 51
    static let argShift: Int32 = 52
    static let argWorkspace: Int32 = 64
    static let argScratchpad: Int32 = 80
    static let argMean: Int32 = 49
    static let argVariance: Int32 = 50
    // Gradients (backward primitives).
    static let argDiffSrc: Int32 = 129
    static let argDiffDst: Int32 = 145
    static let argDiffWeights: Int32 = 161
    static let argDiffBias: Int32 = 169
    static let argDiffScale: Int32 = 255
    static let argDiffShift: Int32 = 256

    nonisolated(unsafe) static let engine: dnnl_engine_t = {
        var e: dnnl_engine_t?
        check(dnnl_engine_create(&e, dnnl_cpu, 0), "engine")
        return e!
    }()

    nonisolated(unsafe) static let stream: dnnl_stream_t = {
        var s: dnnl_stream_t?
        check(dnnl_stream_create(&s, engine, dnnl_stream_default_flags.rawValue), "stream")
        return s!
    }()

    /// Stops the process with a message: a failing oneDNN call means a shape or descriptor bug
    /// in our code, not bad user input (inputs are validated before kernels run).
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        if status != dnnl_success {
            fatalError("oneDNN failed (\(status.rawValue)) in \(what())")
        }
    }

    /// A `dnnl_dims_t`-sized array: pass it where the C API takes `const dnnl_dims_t`. (An array's
    /// buffer is guaranteed contiguous; `&tuple.0` is not guaranteed to point into the tuple and
    /// broke in optimised builds.)
    static func dims(_ values: [Int]) -> [Int64] {
        var d = [Int64](repeating: 0, count: 12)
        for (i, v) in values.enumerated() { d[i] = Int64(v) }
        return d
    }

    /// A float32 memory descriptor in a named layout (or `dnnl_format_tag_any`).
    static func md(_ shape: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var m = dnnl_memory_desc_t()
        check(dnnl_memory_desc_init_by_tag(&m, Int32(shape.count), dims(shape), dnnl_f32, tag), "md \(shape)")
        return m
    }

    /// A float32 memory descriptor with explicit element strides.
    static func md(_ shape: [Int], strides: [Int]) -> dnnl_memory_desc_t {
        var m = dnnl_memory_desc_t()
        check(dnnl_memory_desc_init_by_strides(&m, Int32(shape.count), dims(shape), dnnl_f32, dims(strides)), "md \(shape) strides \(strides)")
        return m
    }

    /// The plain row-major layout tag for a rank.
    static func rowMajor(_ rank: Int) -> dnnl_format_tag_t {
        switch rank {
        case 1: return dnnl_a
        case 2: return dnnl_ab
        case 3: return dnnl_abc
        case 4: return dnnl_abcd
        case 5: return dnnl_abcde
        default: fatalError("rank \(rank) not supported")
        }
    }

    static func bytes(_ md: dnnl_memory_desc_t) -> Int {
        var m = md
        return dnnl_memory_desc_get_size(&m)
    }

    static func equal(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        var x = a, y = b
        return dnnl_memory_desc_equal(&x, &y) != 0
    }

    /// `weight` (laid out as `plain`) copied into the layout `chosen` that a primitive prefers,
    /// done once when the primitive is created.
    static func pack(_ weight: Tensor, from plain: dnnl_memory_desc_t, to chosen: dnnl_memory_desc_t) -> Tensor {
        let packed = Tensor(zeros: [max(1, bytes(chosen) / 4)])
        if equal(chosen, plain) {
            packed.data.update(from: weight.data, count: weight.count)
        } else {
            Primitive(reorderFrom: plain, to: chosen).execute([
                (argSrc, plain, UnsafeMutableRawPointer(weight.data)),
                (argDst, chosen, UnsafeMutableRawPointer(packed.data)),
            ])
        }
        return packed
    }
}

/// Post-operations fused into a convolution or matmul: they run on the output while it is still
/// in cache, which is where most of the speed over an op-by-op framework comes from.
public enum PostOp: Hashable, Sendable {
    /// dst = op(...) + dst (the destination must hold the value to add, e.g. a residual).
    case accumulate
    case relu
    case relu6
    case silu
    case sigmoid
    case gelu
    /// max(x, 0) + slope * min(x, 0) (Darknet's `leaky` uses slope 0.1).
    case leakyRelu(slope: Float)

    func append(to po: dnnl_post_ops_t) {
        switch self {
        case .accumulate: DNNL.check(dnnl_post_ops_append_sum(po, 1), "post-op sum")
        case .relu: DNNL.check(dnnl_post_ops_append_eltwise(po, 1, dnnl_eltwise_relu, 0, 0), "post-op relu")
        case .relu6: DNNL.check(dnnl_post_ops_append_eltwise(po, 1, dnnl_eltwise_clip, 0, 6), "post-op relu6")
        case .silu: DNNL.check(dnnl_post_ops_append_eltwise(po, 1, dnnl_eltwise_swish, 1, 0), "post-op silu")
        case .sigmoid: DNNL.check(dnnl_post_ops_append_eltwise(po, 1, dnnl_eltwise_logistic, 0, 0), "post-op sigmoid")
        case .gelu: DNNL.check(dnnl_post_ops_append_eltwise(po, 1, dnnl_eltwise_gelu_erf, 0, 0), "post-op gelu")
        case let .leakyRelu(slope): DNNL.check(dnnl_post_ops_append_eltwise(po, 1, dnnl_eltwise_relu, slope, 0), "post-op leaky relu")
        }
    }
}

/// A created oneDNN primitive with its descriptor; executed with raw pointers.
final class Primitive: @unchecked Sendable {
    let pd: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t

    /// Creates a primitive from an op descriptor (any `dnnl_*_desc_t`), attributes and post-ops.
    /// Backward primitives pass their forward primitive as `hint`, so that both directions agree
    /// on layouts and algorithm.
    init<Desc>(_ desc: inout Desc, postOps: [PostOp] = [], outputScale: Float? = nil, hint: Primitive? = nil, name: String) {
        var attr: dnnl_primitive_attr_t?
        DNNL.check(dnnl_primitive_attr_create(&attr), "attr")
        defer { dnnl_primitive_attr_destroy(attr) }
        if !postOps.isEmpty {
            var po: dnnl_post_ops_t?
            DNNL.check(dnnl_post_ops_create(&po), "post-ops")
            for op in postOps { op.append(to: po!) }
            DNNL.check(dnnl_primitive_attr_set_post_ops(attr, po), "set post-ops")
            dnnl_post_ops_destroy(po)
        }
        if let outputScale {
            var s = outputScale
            DNNL.check(dnnl_primitive_attr_set_output_scales(attr, 1, 0, &s), "output scale")
        }
        var pd: dnnl_primitive_desc_t?
        withUnsafePointer(to: &desc) { p in
            DNNL.check(dnnl_primitive_desc_create(&pd, UnsafeRawPointer(p), attr, DNNL.engine, hint?.pd), "primitive desc \(name)")
        }
        self.pd = pd!
        var prim: dnnl_primitive_t?
        DNNL.check(dnnl_primitive_create(&prim, pd), "primitive \(name)")
        self.primitive = prim!
    }

    /// A reorder between two layouts.
    init(reorderFrom src: dnnl_memory_desc_t, to dst: dnnl_memory_desc_t) {
        var s = src, d = dst
        var pd: dnnl_primitive_desc_t?
        DNNL.check(dnnl_reorder_primitive_desc_create(&pd, &s, DNNL.engine, &d, DNNL.engine, nil), "reorder desc")
        self.pd = pd!
        var prim: dnnl_primitive_t?
        DNNL.check(dnnl_primitive_create(&prim, pd), "reorder")
        self.primitive = prim!
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
    }

    /// The memory descriptor the implementation chose for an argument (`dnnl_query_weights_md` etc.).
    func md(_ what: dnnl_query_t, _ index: Int32 = 0) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(pd, what, index).pointee
    }

    /// The implementation oneDNN picked (e.g. "jit:avx2"), for profiling notes.
    var implementation: String {
        var info: UnsafePointer<CChar>?
        dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &info)
        return info.map { String(cString: $0) } ?? "?"
    }

    /// Runs a weighted primitive (convolution, matmul): source, packed weights, destination and an
    /// optional bias.
    func execute(src: (dnnl_memory_desc_t, Tensor), weights: (dnnl_memory_desc_t, Tensor),
                 dst: (dnnl_memory_desc_t, Tensor), bias: (dnnl_memory_desc_t, Tensor)?) {
        var args: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)] = [
            (DNNL.argSrc, src.0, UnsafeMutableRawPointer(src.1.data)),
            (DNNL.argWeights, weights.0, UnsafeMutableRawPointer(weights.1.data)),
            (DNNL.argDst, dst.0, UnsafeMutableRawPointer(dst.1.data)),
        ]
        if let bias { args.append((DNNL.argBias, bias.0, UnsafeMutableRawPointer(bias.1.data))) }
        execute(args)
    }

    /// Runs the primitive on the shared stream and waits for it.
    func execute(_ args: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)]) {
        var memories: [dnnl_memory_t?] = []
        memories.reserveCapacity(args.count)
        var execArgs: [dnnl_exec_arg_t] = []
        execArgs.reserveCapacity(args.count)
        for (arg, md, ptr) in args {
            var m: dnnl_memory_t?
            var d = md
            DNNL.check(dnnl_memory_create(&m, &d, DNNL.engine, ptr), "memory")
            memories.append(m)
            execArgs.append(dnnl_exec_arg_t(arg: arg, memory: m))
        }
        DNNL.check(dnnl_primitive_execute(primitive, DNNL.stream, Int32(execArgs.count), execArgs), "execute")
        DNNL.check(dnnl_stream_wait(DNNL.stream), "wait")
        for m in memories { dnnl_memory_destroy(m) }
    }
}

/// A thread-safe cache of primitives by key, owned by one layer (or shared by an op kind).
final class PrimitiveCache<Value>: @unchecked Sendable {
    private var items: [String: Value] = [:]
    private let lock = NSLock()

    func get(_ key: String, _ make: () -> Value) -> Value {
        lock.lock(); defer { lock.unlock() }
        if let v = items[key] { return v }
        let v = make()
        items[key] = v
        return v
    }
}
