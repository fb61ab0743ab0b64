import Foundation
import CDNNL
import COpenBLAS

/// Process-wide compute settings: how many threads the kernels and our own loops use.
public enum ComputeThreads {
    nonisolated(unsafe) private static var current = ProcessInfo.processInfo.activeProcessorCount

    /// The number of threads used by kernels and by `parallelFor`.
    public static var count: Int { current }

    /// Sets the thread count for oneDNN (OpenMP), OpenBLAS and our own parallel loops.
    /// Call before the first inference; later calls also work but re-create no primitives.
    public static func set(_ n: Int) {
        let n = max(1, n)
        current = n
        omp_set_num_threads(Int32(n))
        openblas_set_num_threads(Int32(n))
    }
}

/// Runs `body(i)` for `i` in `0..<n`, split over `ComputeThreads.count` threads in contiguous chunks.
/// Small `n` runs inline: thread hand-off costs more than the work.
@inline(__always)
public func parallelFor(_ n: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
    let threads = min(ComputeThreads.count, max(1, n / max(1, minimumPerThread)))
    if threads <= 1 || n <= 1 {
        body(0..<n)
        return
    }
    let chunk = (n + threads - 1) / threads
    concurrentChunks(threads) { t in
        let lo = t * chunk
        let hi = min(n, lo + chunk)
        if lo < hi { body(lo..<hi) }
    }
}

/// `DispatchQueue.concurrentPerform(iterations:)` over a non-escaping, non-`Sendable` `body`:
/// the callers' closures write disjoint ranges of buffers they own for the whole call (the
/// contract of `parallelFor` and `parallelChunks`), and `concurrentPerform` returns only after
/// every iteration, so the closure neither escapes nor races. Strict concurrency cannot see
/// that; this is the one place that says it.
func concurrentChunks(_ iterations: Int, _ body: (Int) -> Void) {
    withoutActuallyEscaping(body) { body in
        let shared = Handoff(body)
        DispatchQueue.concurrentPerform(iterations: iterations) { t in shared.value(t) }
    }
}
