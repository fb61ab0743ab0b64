/// Bounds on what a pickle may ask of the reader; beyond them a file is
/// refused with a clear error rather than exhausting the stack, memory or time.
enum PickleLimits {
    /// Deepest nesting of containers (tuple, list, dict, object) a checkpoint
    /// may have. Python's own pickler recurses once per level and stops at its
    /// recursion limit (1000 by default), so `torch.save` cannot write anything
    /// deeper; real checkpoints nest fewer than 20 levels.
    static let maximumDepth = 1000

    /// Most memo entries one pickle may store. A state dict memoizes a handful
    /// of values per tensor, so this allows a few hundred thousand tensors.
    static let maximumMemoEntries = 1 << 21

    /// Most dimensions a tensor may have. PyTorch itself refuses more than 64
    /// in most operations; the bound keeps a shared shape tuple with millions
    /// of entries from costing millions of steps per tensor that reuses it.
    static let maximumTensorRank = 64
}
