import Foundation
import CDNNL

/// A oneDNN backward primitive: a `Primitive` created with its forward primitive as the hint.
typealias BackwardPrimitive = Primitive

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
    concurrentChunks(chunks) { t in
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
