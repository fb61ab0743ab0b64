import Foundation
import CDNNL

/// oneDNN argument indices used by backward primitives (the C macros are not importable).
enum DNNLArg {
    static let mean: Int32 = 49
    static let variance: Int32 = 50
    static let diffSrc: Int32 = 129
    static let diffDst: Int32 = 145
    static let diffWeights: Int32 = 161
    static let diffBias: Int32 = 169
    static let diffScale: Int32 = 255
    static let diffShift: Int32 = 256
}

/// A oneDNN backward primitive. oneDNN needs the forward primitive descriptor as a hint so that
/// both directions agree on layouts and algorithm, which `Primitive.init` does not pass; this is
/// the same wrapper with the hint.
final class BackwardPrimitive: @unchecked Sendable {
    let pd: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t

    init<Desc>(_ desc: inout Desc, hint: Primitive, name: String) {
        var pd: dnnl_primitive_desc_t?
        withUnsafePointer(to: &desc) { p in
            DNNL.check(dnnl_primitive_desc_create(&pd, UnsafeRawPointer(p), nil, DNNL.engine, hint.pd), "primitive desc \(name)")
        }
        self.pd = pd!
        var prim: dnnl_primitive_t?
        DNNL.check(dnnl_primitive_create(&prim, pd), "primitive \(name)")
        self.primitive = prim!
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
    }

    func md(_ what: dnnl_query_t, _ index: Int32 = 0) -> dnnl_memory_desc_t {
        dnnl_primitive_desc_query_md(pd, what, index).pointee
    }

    var implementation: String {
        var info: UnsafePointer<CChar>?
        dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &info)
        return info.map { String(cString: $0) } ?? "?"
    }

    func execute(_ args: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)]) {
        var memories: [dnnl_memory_t?] = []
        var execArgs: [dnnl_exec_arg_t] = []
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

/// Reorders `src` (layout `from`) into `dst` (layout `to`), or copies when the layouts agree.
func reorder(_ src: UnsafeMutablePointer<Float>, _ from: dnnl_memory_desc_t, into dst: UnsafeMutablePointer<Float>,
             _ to: dnnl_memory_desc_t, cache: PrimitiveCache<Primitive>, key: String) {
    if DNNL.equal(from, to) {
        dst.update(from: src, count: DNNL.bytes(from) / 4)
        return
    }
    let prim = cache.get(key) { Primitive(reorderFrom: from, to: to) }
    prim.execute([
        (DNNL.argSrc, from, UnsafeMutableRawPointer(src)),
        (DNNL.argDst, to, UnsafeMutableRawPointer(dst)),
    ])
}

/// Runs `body(chunk, range)` over `0..<n` split into at most `ComputeThreads.count` chunks and
/// returns the chunk count: for reductions that keep one partial buffer per chunk.
func parallelChunks(_ n: Int, minimumPerChunk: Int = 1, _ body: (Int, Range<Int>) -> Void) -> Int {
    let chunks = max(1, min(ComputeThreads.count, n / max(1, minimumPerChunk)))
    let size = (n + chunks - 1) / max(1, chunks)
    if chunks == 1 { body(0, 0..<n); return 1 }
    DispatchQueue.concurrentPerform(iterations: chunks) { t in
        let lo = t * size, hi = min(n, lo + size)
        if lo < hi { body(t, lo..<hi) }
    }
    return chunks
}

/// Column sums of a `[rows, width]` row-major matrix of `values(row, column)` products, computed
/// in parallel with one partial row per chunk (deterministic for a fixed thread count).
func columnSums(rows: Int, width: Int, into out: UnsafeMutablePointer<Float>,
                _ row: (Int, UnsafeMutablePointer<Float>) -> Void) {
    let maxChunks = max(1, ComputeThreads.count)
    let partial = Tensor(zeros: [maxChunks, width])
    let used = parallelChunks(rows, minimumPerChunk: 16) { chunk, range in
        let acc = partial.data + chunk * width
        for r in range { row(r, acc) }
    }
    for j in 0..<width { out[j] = 0 }
    for c in 0..<used {
        let p = partial.data + c * width
        for j in 0..<width { out[j] += p[j] }
    }
}
