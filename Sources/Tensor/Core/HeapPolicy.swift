import CDNNL

/// How the process's allocator treats large blocks, set once for the engine and for any other
/// code that allocates big buffers in a loop (the database generator).
public enum HeapPolicy {
    /// Keeps freed large blocks in the heap instead of returning them to the kernel.
    /// glibc serves large blocks with fresh `mmap`s, and every reuse then pays a page fault per
    /// 4 KiB: that cost ResNet-50 at batch 16 over half its time (measured: 10.7 -> 26 images/s)
    /// and the generator a quarter of its CPU time. Heap reuse needs no pool of our own.
    public static func keepLargeBlocks() {
        // CDNNL's module map carries <malloc.h> for `mallopt`.
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
    }
}
