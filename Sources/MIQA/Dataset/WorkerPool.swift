import Foundation

/// Runs `body(i)` for every `i` in `0..<count` on `threads` threads that each take the next
/// unclaimed index, so jobs of uneven cost balance out (unlike fixed chunks). Returns when all
/// jobs are done. `body` must be thread-safe.
enum WorkerPool {
    static func run(count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let n = max(1, min(threads, count))
        if n == 1 {
            for i in 0..<count { body(i) }
            return
        }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        let group = DispatchGroup()
        var workers: [Thread] = []
        for _ in 0..<n {
            group.enter()
            // Dedicated threads with a large stack: the distortions keep a few big arrays alive
            // and GCD's pool threads would also be shared with the kernels' `parallelFor`.
            let t = Thread {
                while true {
                    lock.lock()
                    let i = next
                    next += 1
                    lock.unlock()
                    if i >= count { break }
                    body(i)
                }
                group.leave()
            }
            t.stackSize = 8 << 20
            workers.append(t)
        }
        workers.forEach { $0.start() }
        group.wait()
    }
}
